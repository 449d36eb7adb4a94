package dev.roster.proxy.model;

/**
 * An IP network as Go's {@code net.ParseCIDR} sees it: the address is masked to the prefix, so
 * {@link #toString()} prints the network ({@code 203.0.113.000/025} prints {@code 203.0.113.0/25}).
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
        this.text = Addresses.format(network) + "/" + prefix;
    }

    /** Parses with sloppy IPv4 octets and surrounding whitespace trimmed; null when invalid. */
    public static Cidr parse(String text) {
        if (text == null) return null;
        String s = text.strip();
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1) return null;
        byte[] ip = Addresses.parse(s.substring(0, slash));
        if (ip == null) return null;
        int prefix = 0;
        for (int i = slash + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return null;
            prefix = prefix * 10 + (c - '0');
            if (prefix > 128) return null;
        }
        if (prefix > ip.length * 8) return null;
        byte[] net = ip.clone();
        for (int bit = prefix; bit < net.length * 8; bit++) net[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        return new Cidr(net, prefix);
    }

    public IpFamily family() {
        return Addresses.family(network);
    }

    public int prefix() {
        return prefix;
    }

    public boolean contains(byte[] ip) {
        if (ip == null || ip.length != network.length) return false;
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((ip[bit / 8] & mask) != (network[bit / 8] & mask)) return false;
        }
        return true;
    }

    public boolean contains(String ip) {
        return contains(Addresses.parse(ip));
    }

    /** True for 0.0.0.0/0 and ::/0. */
    public boolean isZero() {
        return prefix == 0;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
