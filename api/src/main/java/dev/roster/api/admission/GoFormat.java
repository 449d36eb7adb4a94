package dev.roster.api.admission;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders bad values the way upstream's error bodies print them: strings Go-quoted, maps and
 * structs in Go's {@code %#v} syntax. kubectl users see these texts, so they must match byte for byte.
 */
public final class GoFormat {
    private GoFormat() {}

    /** Go's strconv.Quote: double quotes, backslash escapes, printable Unicode kept as is. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 11 -> b.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", c));
                    } else if (Character.isISOControl(c) || !Character.isDefined(c)) {
                        b.append(c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.append('"').toString();
    }

    /** {@code map[string]string{"a":"b", "c":"d"}}; Go sorts map keys when printing; null is the nil map. */
    public static String stringMap(Map<String, String> m) {
        if (m == null) return "map[string]string(nil)";
        StringBuilder b = new StringBuilder("map[string]string{");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) {
            if (!first) b.append(", ");
            first = false;
            b.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
        }
        return b.append('}').toString();
    }

    /** {@code []string{"a", "b"}}; null is the nil slice. */
    public static String stringSlice(List<String> l) {
        if (l == null) return "[]string(nil)";
        StringBuilder b = new StringBuilder("[]string{");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(quote(l.get(i)));
        }
        return b.append('}').toString();
    }
}
