package dev.roster.api.crd.cel;

import dev.cel.common.CelErrorCode;
import dev.cel.common.CelException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dev.cel words its errors differently from cel-go; rules' authors see upstream's texts (in "... evaluating rule:"
 * and "compilation failed:" messages), so the common ones are reworded as cel-go prints them.
 */
final class CelErrors {
    private CelErrors() {}

    private static final Pattern LOCATION = Pattern.compile("^evaluation error(?: at [^:]*:\\d+)?: ");
    private static final Pattern MISSING_KEY = Pattern.compile("^key '(.*)' is not present in map\\.?$");
    private static final Pattern CANDIDATES = Pattern.compile("(?m) \\(candidates: .*\\)$");

    /** An evaluation error as cel-go states it, e.g. {@code no such key: name}. */
    static String upstreamText(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        message = LOCATION.matcher(message).replaceFirst("");
        CelErrorCode code = e instanceof CelException ce ? ce.getErrorCode() : null;
        Matcher missing = MISSING_KEY.matcher(message);
        if (missing.matches()) return "no such key: " + missing.group(1);
        if (code == CelErrorCode.ATTRIBUTE_NOT_FOUND) return "no such key: " + message;
        if (code == CelErrorCode.OVERLOAD_NOT_FOUND || message.startsWith("No matching overload")) {
            return "no such overload";
        }
        if (message.equals("/ by zero")) return "division by zero";
        if (message.equals("long overflow") || message.equals("integer overflow")) return "integer overflow";
        if (message.startsWith("Index out of bounds")) return "index out of bounds" + message.substring(19);
        return message;
    }

    /** A compiler report as cel-go prints it: parse errors are "Syntax error"s, overload candidates unlisted. */
    static String compileReport(String report, boolean syntax) {
        String text = CANDIDATES.matcher(report).replaceAll("");
        if (!syntax) return text;
        return Pattern.compile("(?m)^(ERROR: [^:]*:\\d+:\\d+: )").matcher(text).replaceAll("$1Syntax error: ");
    }
}
