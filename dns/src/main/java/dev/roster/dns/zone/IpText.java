package dev.roster.dns.zone;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.Address;

/** IP literals to addresses without ever resolving a name (a hostname in an address field must not cause a lookup). */
final class IpText {
    private IpText() {}

    /** The address, or null when {@code text} is not an IPv4 or IPv6 literal. */
    static InetAddress parse(String text) {
        if (text == null) return null;
        byte[] b = Address.toByteArray(text, Address.IPv4);
        if (b == null) b = Address.toByteArray(text, Address.IPv6);
        if (b == null) return null;
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null; // only for a wrong length, which toByteArray never returns
        }
    }

    /**
     * The address in a pod name ({@code 10-244-1-5}, {@code fd00--5}): three dashes and no double dash make IPv4
     * dots, anything else IPv6 colons, as CoreDNS reads them. Null when the result is no address.
     */
    static InetAddress fromDashed(String label) {
        long dashes = label.chars().filter(c -> c == '-').count();
        String text = dashes == 3 && !label.contains("--") ? label.replace('-', '.') : label.replace('-', ':');
        return parse(text);
    }

    /**
     * The address as RFC 5952 writes it ({@code fd00:244::7}: lower case, no leading zeros, the longest run of two or
     * more zero groups as {@code ::}), the text CoreDNS makes endpoint names from; Java's own text never compresses.
     */
    static String canonical(InetAddress ip) {
        if (ip instanceof Inet4Address) return ip.getHostAddress();
        byte[] b = ip.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
