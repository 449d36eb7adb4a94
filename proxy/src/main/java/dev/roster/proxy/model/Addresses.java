package dev.roster.proxy.model;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP parsing and printing with kube-proxy's conventions: IPv4 octets with leading zeros are read as
 * decimal ("sloppy" parsing, so objects stored by old API servers still work) and every address is
 * printed canonically the way Go prints it ({@code 172.30.0.041} becomes {@code 172.30.0.41}; IPv6 in
 * lower case with the longest run of zero groups compressed).
 */
public final class Addresses {
    private Addresses() {
    }

    /** The 4 or 16 address bytes, or null if the text is not an IP address. IPv4-mapped IPv6 counts as IPv4. */
    public static byte[] parse(String text) {
        if (text == null || text.isEmpty()) return null;
        if (text.indexOf(':') < 0) return parseV4(text);
        if (text.indexOf('%') >= 0) return null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) return null;
        }
        try {
            // A literal containing ':' never triggers a name lookup.
            InetAddress a = InetAddress.getByName(text);
            return a.getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0, i = 0, n = s.length();
        while (part < 4) {
            int start = i, v = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                if (v > 255) return null;
                i++;
            }
            if (i == start) return null;
            out[part++] = (byte) v;
            if (part < 4) {
                if (i >= n || s.charAt(i) != '.') return null;
                i++;
            }
        }
        return i == n ? out : null;
    }

    /** The family of a parsed address. */
    public static IpFamily family(byte[] ip) {
        return ip.length == 4 ? IpFamily.IPV4 : IpFamily.IPV6;
    }

    /** Canonical text of an address, or null when the input is not one. */
    public static String canonical(String text) {
        byte[] ip = parse(text);
        return ip == null ? null : format(ip);
    }

    /** Whether the text is an address of the given family. */
    public static boolean isFamily(String text, IpFamily family) {
        byte[] ip = parse(text);
        return ip != null && family(ip) == family;
    }

    public static String format(byte[] ip) {
        if (ip.length == 4) {
            return (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((ip[2 * i] & 0xff) << 8) | (ip[2 * i + 1] & 0xff);
        // Longest run of at least two zero groups, the first one on a tie (RFC 5952, as Go prints).
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** Go's net.JoinHostPort: IPv6 addresses in brackets. */
    public static String joinHostPort(String ip, int port) {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    public static boolean isLoopback(byte[] ip) {
        if (ip.length == 4) return (ip[0] & 0xff) == 127;
        for (int i = 0; i < 15; i++) if (ip[i] != 0) return false;
        return ip[15] == 1;
    }
}
