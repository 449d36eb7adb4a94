package dev.roster.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations the way Go (and so kube-proxy's flags) write them: {@code 1s}, {@code 500ms}, {@code 1h30m}, {@code 0}. */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private GoDuration() {}

    static Duration parse(String flag, String text) {
        String t = text == null ? "" : text.strip();
        if (t.equals("0")) return Duration.ZERO;
        Matcher m = PART.matcher(t);
        Duration d = Duration.ZERO;
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            at = m.end();
        }
        if (at == 0 || at != t.length()) {
            throw new IllegalArgumentException(flag + ": invalid duration \"" + text + "\" (use e.g. 500ms, 1s, 2m or 1h)");
        }
        return d;
    }
}
