package dev.roster.apiserver.allocation;

import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out ClusterIPs from the service CIDR. State lives in memory and is rebuilt at start-up
 * from the stored Services, so the Services themselves stay the only record of what is taken.
 */
public final class ServiceIpAllocator {
    private final String cidr;
    private final int base;
    private final int size;
    private final BitSet used;

    public ServiceIpAllocator(String cidr) {
        this.cidr = cidr;
        String[] parts = cidr.split("/");
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 8 || prefix > 30) throw new IllegalArgumentException("service CIDR must be between /8 and /30: " + cidr);
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        this.base = Ipv4.parse(parts[0]) & mask;
        this.size = 1 << (32 - prefix);
        this.used = new BitSet(size);
        used.set(0); // the network address
        used.set(size - 1); // the broadcast address
    }

    public String cidr() {
        return cidr;
    }

    /** The first usable address, which upstream gives to the default/kubernetes Service. */
    public String firstAddress() {
        return Ipv4.format(base + 1);
    }

    public boolean contains(String ip) {
        Integer v = Ipv4.tryParse(ip);
        return v != null && Integer.compareUnsigned(v - base, size) < 0 && (v & ~(size - 1)) == base;
    }

    /**
     * Takes a random free address, from above the static band first (upstream's KEP-3070): the lowest
     * addresses, e.g. the DNS Service's .10, stay free for Services that ask for them by address.
     */
    public synchronized String allocateNext() {
        int band = staticBand();
        int i = band < size - 1 ? randomFree(band, size - 1) : -1;
        if (i < 0) i = randomFree(1, Math.min(band, size - 1));
        if (i < 0) throw new IllegalStateException("range is full");
        used.set(i);
        return Ipv4.format(base + i);
    }

    /** Offsets below this are the static band: size/16, at least 16 and at most 256 addresses. */
    int staticBand() {
        return Math.min(Math.max(16, size / 16), 256);
    }

    /** A free offset in [from, to), searched from a random point with wrap-around; -1 when none. */
    private int randomFree(int from, int to) {
        if (from >= to) return -1;
        int start = ThreadLocalRandom.current().nextInt(from, to);
        int i = used.nextClearBit(start);
        if (i >= to) i = used.nextClearBit(from);
        return i < to ? i : -1;
    }

    /** Takes a specific address; false when it is already taken. The caller checked it is in range. */
    public synchronized boolean allocate(String ip) {
        int i = Ipv4.parse(ip) - base;
        if (used.get(i)) return false;
        used.set(i);
        return true;
    }

    public synchronized void release(String ip) {
        if (!contains(ip)) return;
        int i = Ipv4.parse(ip) - base;
        if (i > 0 && i < size - 1) used.clear(i);
    }
}
