package dev.roster.api.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The string formats of the Kubernetes API (DNS names, label keys and values, port names, config
 * keys). Each check returns upstream's explanation texts, empty when the value is valid; the texts
 * include the regex and examples because kubectl prints them verbatim.
 */
public final class Formats {
    private Formats() {}

    static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    static final String DNS1123_LABEL_UNDERSCORE_FMT = "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?";
    static final String DNS1123_SUBDOMAIN_UNDERSCORE_FMT = DNS1123_LABEL_UNDERSCORE_FMT + "(\\." + DNS1123_LABEL_UNDERSCORE_FMT + ")*";
    static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    static final String CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
    static final String PERCENT_FMT = "[0-9]+%";

    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
    private static final Pattern DNS1123_SUBDOMAIN_UNDERSCORE = Pattern.compile(DNS1123_SUBDOMAIN_UNDERSCORE_FMT);
    private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
    private static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_FMT);
    private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*", Pattern.DOTALL);

    private static final String DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character";
    private static final String DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private static final String DNS1123_SUBDOMAIN_UNDERSCORE_MSG = "a lowercase RFC 1123 subdomain must consist of lower "
            + "case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character";
    private static final String DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric "
            + "characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and "
            + "must start and end with an alphanumeric character";
    private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private static final String CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
    private static final String PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%'";

    public static String maxLenError(int n) {
        return "must be no more than " + n + " characters";
    }

    public static String inclusiveRangeError(long lo, long hi) {
        return "must be between " + lo + " and " + hi + ", inclusive";
    }

    /** Upstream's "msg (e.g. 'a' or 'b', regex used for validation is 'fmt')". */
    public static String regexError(String msg, String fmt, String... examples) {
        if (examples.length == 0) return msg + " (regex used for validation is '" + fmt + "')";
        StringBuilder b = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) b.append(" or ");
            b.append('\'').append(examples[i]).append("', ");
        }
        return b.append("regex used for validation is '").append(fmt).append("')").toString();
    }

    public static List<String> dns1123Label(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 63) errs.add(maxLenError(63));
        if (!DNS1123_LABEL.matcher(v).matches()) {
            // A valid subdomain of acceptable length can only fail as a label because of its dots.
            errs.add(DNS1123_SUBDOMAIN.matcher(v).matches()
                    ? "must not contain dots"
                    : regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
        }
        return errs;
    }

    public static List<String> dns1123Subdomain(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 253) errs.add(maxLenError(253));
        if (!DNS1123_SUBDOMAIN.matcher(v).matches()) {
            errs.add(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    /** A subdomain whose labels may also hold underscores ({@code _sip._tcp.example.com}): pods' DNS search paths. */
    public static List<String> dns1123SubdomainWithUnderscore(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 253) errs.add(maxLenError(253));
        if (!DNS1123_SUBDOMAIN_UNDERSCORE.matcher(v).matches()) {
            errs.add(regexError(DNS1123_SUBDOMAIN_UNDERSCORE_MSG, DNS1123_SUBDOMAIN_UNDERSCORE_FMT, "example.com"));
        }
        return errs;
    }

    public static List<String> dns1035Label(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 63) errs.add(maxLenError(63));
        if (!DNS1035_LABEL.matcher(v).matches()) {
            errs.add(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"));
        }
        return errs;
    }

    /** Label keys, annotation keys and finalizer names: an optional DNS subdomain prefix and a name. */
    public static List<String> qualifiedName(String v) {
        List<String> errs = new ArrayList<>();
        String[] parts = v.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                for (String m : dns1123Subdomain(prefix)) errs.add("prefix part " + m);
            }
        } else {
            errs.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errs.add("name part " + maxLenError(63));
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            errs.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    public static List<String> labelValue(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 63) errs.add(maxLenError(63));
        if (!LABEL_VALUE.matcher(v).matches()) {
            errs.add(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    /** IANA_SVC_NAME: at most 15 characters of [-a-z0-9], at least one letter, no leading, trailing or double hyphen. */
    public static List<String> portName(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 15) errs.add(maxLenError(15));
        if (!PORT_NAME_CHARS.matcher(v).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!HAS_LETTER.matcher(v).matches()) errs.add("must contain at least one letter (a-z)");
        if (v.contains("--")) errs.add("must not contain consecutive hyphens");
        if (!v.isEmpty() && (v.startsWith("-") || v.endsWith("-"))) errs.add("must not begin or end with a hyphen");
        return errs;
    }

    public static List<String> portNum(long port) {
        return port >= 1 && port <= 65535 ? List.of() : List.of(inclusiveRangeError(1, 65535));
    }

    public static List<String> configMapKey(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 253) errs.add(maxLenError(253));
        if (!CONFIG_KEY.matcher(v).matches()) {
            errs.add(regexError(CONFIG_KEY_MSG, CONFIG_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
        }
        if (v.equals(".")) {
            errs.add("must not be '.'");
        } else if (v.equals("..")) {
            errs.add("must not be '..'");
        } else if (v.startsWith("..")) {
            errs.add("must not start with '..'");
        }
        return errs;
    }

    public static List<String> percent(String v) {
        return PERCENT.matcher(v).matches() ? List.of() : List.of(regexError(PERCENT_MSG, PERCENT_FMT, "1%", "93%"));
    }

    /** Environment variable names as relaxed in 1.30+: printable ASCII other than '='. */
    public static List<String> envVarName(String v) {
        List<String> errs = new ArrayList<>();
        if (v.isEmpty()) errs.add("environment variable name must be non-empty");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '=') {
                errs.add("a valid environment variable name must consist only of printable ASCII characters other than '='");
                break;
            }
        }
        return errs;
    }

    /**
     * Name checks for metadata.name; with {@code prefix} the value is a generateName, whose trailing
     * dash upstream masks (replacing its last two characters by "a") before checking.
     */
    public static List<String> name(NameFormat format, String v, boolean prefix) {
        if (prefix && v.length() > 1 && v.endsWith("-")) v = v.substring(0, v.length() - 2) + "a";
        return switch (format) {
            case DNS1123_SUBDOMAIN -> dns1123Subdomain(v);
            case DNS1123_LABEL -> dns1123Label(v);
            case DNS1035_LABEL -> dns1035Label(v);
            case PATH_SEGMENT -> pathSegment(v);
        };
    }

    /** Names some resources accept beyond DNS rules: anything that is a valid URL path segment. */
    static List<String> pathSegment(String v) {
        if (v.equals(".") || v.equals("..")) return List.of("may not be '" + v + "'");
        List<String> errs = new ArrayList<>();
        for (String bad : new String[] {"/", "%"}) {
            if (v.contains(bad)) errs.add("may not contain '" + bad + "'");
        }
        return errs;
    }

    public enum NameFormat { DNS1123_SUBDOMAIN, DNS1123_LABEL, DNS1035_LABEL, PATH_SEGMENT }
}
