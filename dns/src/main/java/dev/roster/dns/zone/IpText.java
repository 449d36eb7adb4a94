package dev.roster.dns.zone;

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
}
