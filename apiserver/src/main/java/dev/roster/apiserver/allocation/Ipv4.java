package dev.roster.apiserver.allocation;

/** Dotted-quad IPv4 addresses as ints. */
public final class Ipv4 {
    private Ipv4() {}

    public static int parse(String ip) {
        Integer v = tryParse(ip);
        if (v == null) throw new IllegalArgumentException("not an IPv4 address: " + ip);
        return v;
    }

    /** The address as an int, or null when the text is not a canonical dotted quad. */
    public static Integer tryParse(String ip) {
        if (ip == null) return null;
        String[] p = ip.split("\\.", -1);
        if (p.length != 4) return null;
        int v = 0;
        for (String s : p) {
            if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) return null;
            for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return null;
            int n = Integer.parseInt(s);
            if (n > 255) return null;
            v = (v << 8) | n;
        }
        return v;
    }

    public static String format(int v) {
        return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
    }
}
