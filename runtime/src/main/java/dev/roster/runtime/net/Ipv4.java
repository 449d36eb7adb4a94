package dev.roster.runtime.net;

/** Dotted IPv4 addresses as numbers: pod IPs against their node's podCIDR, here and in the node's IPAM. */
public final class Ipv4 {
    private Ipv4() {}

    /** The address as an unsigned 32-bit number; IllegalArgumentException when it is not dotted IPv4. */
    public static long parse(String dotted) {
        String[] parts = dotted == null ? new String[0] : dotted.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: \"" + dotted + "\"");
        long value = 0;
        for (String part : parts) {
            int octet = part.matches("[0-9]{1,3}") ? Integer.parseInt(part) : 256;
            if (octet > 255) throw new IllegalArgumentException("not an IPv4 address: \"" + dotted + "\"");
            value = value << 8 | octet;
        }
        return value;
    }
}
