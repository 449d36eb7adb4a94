package dev.roster.api.admission;

/**
 * Parses IP literals without ever resolving names (InetAddress would do DNS lookups), accepting
 * what Go's net.ParseIP accepts plus leading zeros in IPv4 octets, like upstream's "sloppy" parser.
 */
public final class IpAddresses {
    private IpAddresses() {}

    /** 4 bytes for IPv4, 16 for IPv6, null when not an IP literal. */
    public static byte[] parse(String s) {
        if (s == null || s.isEmpty()) return null;
        return s.indexOf(':') >= 0 ? parse6(s) : parse4(s);
    }

    static boolean isIPv4(byte[] ip) {
        return ip != null && (ip.length == 4 || isV4Mapped(ip));
    }

    private static byte[] parse4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return null;
            int v = Integer.parseInt(p);
            if (v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parse6(String s) {
        byte[] out = new byte[16];
        int ellipsis = -1;
        int n = 0;
        String rest = s;
        if (rest.startsWith("::")) {
            ellipsis = 0;
            rest = rest.substring(2);
            if (rest.isEmpty()) return out;
        }
        while (!rest.isEmpty()) {
            int colon = rest.indexOf(':');
            String group = colon < 0 ? rest : rest.substring(0, colon);
            if (group.contains(".")) {
                // An embedded IPv4 address ends the literal and fills the last four bytes.
                if (colon >= 0 || n > 12) return null;
                byte[] v4 = parse4(group);
                if (v4 == null) return null;
                System.arraycopy(v4, 0, out, n, 4);
                n += 4;
                break;
            }
            if (group.isEmpty() || group.length() > 4) return null;
            int v;
            try {
                v = Integer.parseInt(group, 16);
            } catch (NumberFormatException e) {
                return null;
            }
            if (n > 14) return null;
            out[n++] = (byte) (v >> 8);
            out[n++] = (byte) v;
            if (colon < 0) break;
            rest = rest.substring(colon + 1);
            if (rest.startsWith(":")) {
                if (ellipsis >= 0) return null;
                ellipsis = n;
                rest = rest.substring(1);
            } else if (rest.isEmpty()) {
                return null;
            }
        }
        if (n < 16) {
            if (ellipsis < 0) return null;
            int shift = 16 - n;
            for (int i = n - 1; i >= ellipsis; i--) out[i + shift] = out[i];
            for (int i = ellipsis; i < ellipsis + shift; i++) out[i] = 0;
        } else if (ellipsis >= 0 && ellipsis != 16) {
            return null;
        }
        return out;
    }

    private static boolean isV4Mapped(byte[] ip) {
        if (ip.length != 16) return false;
        for (int i = 0; i < 10; i++) if (ip[i] != 0) return false;
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    private static byte[] v4(byte[] ip) {
        return ip.length == 4 ? ip : isV4Mapped(ip) ? new byte[] {ip[12], ip[13], ip[14], ip[15]} : null;
    }

    static boolean isUnspecified(byte[] ip) {
        byte[] b = v4(ip) != null ? v4(ip) : ip;
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    static boolean isLoopback(byte[] ip) {
        byte[] b = v4(ip);
        if (b != null) return b[0] == 127;
        for (int i = 0; i < 15; i++) if (ip[i] != 0) return false;
        return ip[15] == 1;
    }

    static boolean isLinkLocalUnicast(byte[] ip) {
        byte[] b = v4(ip);
        if (b != null) return (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254;
        return (ip[0] & 0xff) == 0xfe && (ip[1] & 0xc0) == 0x80;
    }

    static boolean isLinkLocalMulticast(byte[] ip) {
        byte[] b = v4(ip);
        if (b != null) return (b[0] & 0xff) == 224 && b[1] == 0 && b[2] == 0;
        return (ip[0] & 0xff) == 0xff && (ip[1] & 0x0f) == 0x02;
    }

    /** Go's ParseCIDR: an IP literal, a slash and a prefix length within the family's bits. */
    public static boolean isCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) return false;
        byte[] ip = parse(s.substring(0, slash));
        String bits = s.substring(slash + 1);
        if (ip == null || bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) return false;
        return Integer.parseInt(bits) <= ip.length * 8;
    }
}
