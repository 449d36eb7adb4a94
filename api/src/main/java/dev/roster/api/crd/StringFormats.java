package dev.roster.api.crd;

import dev.roster.api.admission.IpAddresses;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The string formats a CRD schema may name (upstream's list for 1.34); any other format is ignored, as upstream
 * strips it. Names match with dashes removed ({@code date-time} is {@code datetime}), as go-openapi normalises them.
 */
final class StringFormats {
    private StringFormats() {}

    private static final Pattern HOSTNAME = Pattern.compile("([a-zA-Z0-9\\p{S}\\p{L}]((-?[a-zA-Z0-9\\p{S}\\p{L}]{0,62})?)|"
                    + "([a-zA-Z0-9\\p{S}\\p{L}](([a-zA-Z0-9-\\p{S}\\p{L}]{0,61}[a-zA-Z0-9\\p{S}\\p{L}])?)(\\.)){1,}([a-zA-Z\\p{L}]){2,63})");
    private static final Pattern ISBN10 = Pattern.compile("(?:[0-9]{9}X|[0-9]{10})");
    private static final Pattern ISBN13 = Pattern.compile("(?:[0-9]{13})");
    private static final Pattern CREDIT_CARD = Pattern.compile("(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])"
                    + "[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\\d{3})\\d{11})");
    private static final Pattern DATE_TIME = Pattern.compile("(?i)(\\d{4}-\\d{2}-\\d{2})t(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?(z|[+-]\\d{2}:\\d{2})");

    private static final Map<String, Predicate<String>> CHECKS = Map.ofEntries(
            Map.entry("bsonobjectid", matches("[0-9a-fA-F]{24}")),
            Map.entry("uri", StringFormats::isRequestUri),
            Map.entry("email", matches("[^@\\s<>()\\[\\],;:\"]+@[^@\\s<>()\\[\\],;:\"]+")),
            Map.entry("hostname", s -> s.length() <= 255 && HOSTNAME.matcher(s).matches()),
            Map.entry("ipv4", s -> s.indexOf(':') < 0 && IpAddresses.parse(s) != null),
            Map.entry("ipv6", s -> s.indexOf(':') >= 0 && IpAddresses.parse(s) != null),
            Map.entry("cidr", IpAddresses::isCidr),
            Map.entry("mac", matches("([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}|([0-9a-fA-F]{2}[:-]){7}[0-9a-fA-F]{2}"
                    + "|([0-9a-fA-F]{2}[:-]){19}[0-9a-fA-F]{2}|([0-9a-fA-F]{4}\\.){2}[0-9a-fA-F]{4}|([0-9a-fA-F]{4}\\.){3}[0-9a-fA-F]{4}"
                    + "|([0-9a-fA-F]{4}\\.){9}[0-9a-fA-F]{4}")),
            Map.entry("uuid", matches("(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")),
            Map.entry("uuid3", matches("(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}")),
            Map.entry("uuid4", matches("(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}")),
            Map.entry("uuid5", matches("(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}")),
            Map.entry("isbn", s -> isIsbn10(s) || isIsbn13(s)),
            Map.entry("isbn10", StringFormats::isIsbn10),
            Map.entry("isbn13", StringFormats::isIsbn13),
            Map.entry("creditcard", s -> CREDIT_CARD.matcher(s.replaceAll("[^0-9]", "")).matches()),
            Map.entry("ssn", matches("\\d{3}[- ]?\\d{2}[- ]?\\d{4}")),
            Map.entry("hexcolor", matches("#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")),
            Map.entry("rgbcolor", matches("rgb\\(\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*,\\s*"
                    + "(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*,\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*\\)")),
            Map.entry("byte", StringFormats::isBase64),
            Map.entry("password", s -> true),
            Map.entry("date", StringFormats::isDate),
            Map.entry("duration", matches("[-+]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)")
                    .or(matches("(\\d+)\\s*(ns|us|\u00b5s|ms|s|m|h|d|w|nanoseconds?|microseconds?"
                    + "|milliseconds?|seconds?|minutes?|hours?|days?|weeks?|sec|secs|min|mins|hr|hrs|hs)"))),
            Map.entry("datetime", StringFormats::isDateTime),
            Map.entry("quantity", matches("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?")),
            Map.entry("k8sshortname", matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").and(s -> s.length() <= 63)),
            Map.entry("k8slongname", matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*").and(s -> s.length() <= 253)));

    private static Predicate<String> matches(String regex) {
        Pattern p = Pattern.compile(regex);
        return s -> p.matcher(s).matches();
    }

    /** Whether upstream validates this string format (else the format is ignored). */
    static boolean known(String format) {
        return CHECKS.containsKey(format.replace("-", ""));
    }

    static boolean valid(String format, String value) {
        Predicate<String> check = CHECKS.get(format.replace("-", ""));
        return check == null || check.test(value);
    }

    /** Go's url.ParseRequestURI: an absolute URI, or an absolute path. */
    private static boolean isRequestUri(String s) {
        if (s.isEmpty()) return false;
        try {
            URI u = new URI(s);
            return u.isAbsolute() || s.startsWith("/");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isIsbn10(String s) {
        String d = s.replaceAll("[\\s-]", "");
        if (!ISBN10.matcher(d).matches()) return false;
        int sum = 0;
        for (int i = 0; i < 9; i++) sum += (i + 1) * (d.charAt(i) - '0');
        int check = d.charAt(9) == 'X' ? 10 : d.charAt(9) - '0';
        return (sum + 10 * check) % 11 == 0;
    }

    private static boolean isIsbn13(String s) {
        String d = s.replaceAll("[\\s-]", "");
        if (!ISBN13.matcher(d).matches()) return false;
        int sum = 0;
        for (int i = 0; i < 12; i++) sum += (i % 2 == 0 ? 1 : 3) * (d.charAt(i) - '0');
        return (10 - sum % 10) % 10 == d.charAt(12) - '0';
    }

    private static boolean isBase64(String s) {
        try {
            Base64.getDecoder().decode(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isDate(String s) {
        if (!s.matches("\\d{4}-\\d{2}-\\d{2}")) return false;
        try {
            LocalDate.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isDateTime(String s) {
        var m = DATE_TIME.matcher(s);
        if (!m.matches() || !isDate(m.group(1))) return false;
        return Integer.parseInt(m.group(2)) <= 23 && Integer.parseInt(m.group(3)) <= 59 && Integer.parseInt(m.group(4)) <= 59;
    }
}
