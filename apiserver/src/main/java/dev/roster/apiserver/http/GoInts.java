package dev.roster.apiserver.http;

import static dev.roster.api.admission.GoFormat.quote;

/**
 * Go's {@code strconv} rules for query values, which every upstream client is written against:
 * integers are an optional sign and ASCII digits only, and errors carry Go's own words.
 */
public final class GoInts {
    private GoInts() {}

    /** Go's {@code strconv.ParseInt(s, 10, 64)}. */
    public static long parseInt64(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (start == s.length()) throw syntax(s);
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw syntax(s);
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new BadParameter("strconv.ParseInt: parsing " + quote(s) + ": value out of range");
        }
    }

    /** Go's {@code strconv.ParseBool}: null for a value it refuses. */
    public static Boolean parseBool(String s) {
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static BadParameter syntax(String s) {
        return new BadParameter("strconv.ParseInt: parsing " + quote(s) + ": invalid syntax");
    }

    /** A query value that cannot be read; the API server answers it with a 400 carrying this message. */
    public static final class BadParameter extends IllegalArgumentException {
        public BadParameter(String message) {
            super(message);
        }
    }
}
