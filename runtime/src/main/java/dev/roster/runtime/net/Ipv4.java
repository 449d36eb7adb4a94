package dev.roster.runtime.net;

/** Dotted IPv4 addresses as numbers, to check that a pod IP lies in its node's podCIDR. */
final class Ipv4 {
    private Ipv4() {}

    static long parse(String dotted) {
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
