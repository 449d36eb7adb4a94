package dev.roster.node.sim;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go-style durations such as {@code 2s}, {@code 1m30s}, {@code 500ms}, {@code 1.5s}. */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {}

    public static Duration parse(String text) {
        String s = text.trim();
        if (s.equals("0")) return Duration.ZERO;
        Matcher m = PART.matcher(s);
        int pos = 0;
        double nanos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) throw new IllegalArgumentException("invalid duration: " + text);
            double v = Double.parseDouble(m.group(1));
            nanos += v * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            pos = m.end();
        }
        if (pos == 0) throw new IllegalArgumentException("invalid duration: " + text);
        return Duration.ofNanos(Math.round(nanos));
    }
}
