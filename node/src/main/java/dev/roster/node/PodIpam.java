package dev.roster.node;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Pod addresses from one node's IPv4 CIDR, handed out round-robin as upstream's host-local IPAM does: the next free
 * address after the last one given (starting at network+2 — network+1 is left for the node's gateway/bridge — and
 * wrapping around), never the broadcast address. A released address is therefore not handed out again at once: a
 * replacement pod never inherits the address of the pod it replaces while that one's endpoints are still fading.
 */
public final class PodIpam {
    private final String cidr;
    private final long network;
    private final int size;
    private final BitSet used = new BitSet();
    private final Map<String, Integer> byOwner = new HashMap<>();
    private int next = 2;

    public PodIpam(String cidr) {
        this.cidr = cidr;
        int slash = cidr.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("not a CIDR: " + cidr);
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        if (prefix < 1 || prefix > 30) throw new IllegalArgumentException("prefix must be 1..30: " + cidr);
        long ip = dev.roster.runtime.net.Ipv4.parse(cidr.substring(0, slash));
        this.size = 1 << (32 - prefix);
        this.network = ip & ~((long) size - 1) & 0xFFFFFFFFL;
    }

    public String cidr() { return cidr; }

    /** The owner's address: the one it already holds, else the lowest free one. */
    public synchronized String allocate(String owner) {
        Integer held = byOwner.get(owner);
        if (held != null) return toString(network + held);
        int i = used.nextClearBit(next);
        if (i >= size - 1) i = used.nextClearBit(2); // wrap around
        if (i >= size - 1) throw new IllegalStateException("no free pod address in " + cidr);
        used.set(i);
        next = i + 1;
        byOwner.put(owner, i);
        return toString(network + i);
    }

    /** Records that the owner already holds this address (after a restart); false if it is outside or taken. */
    public synchronized boolean reserve(String owner, String ip) {
        long v;
        try {
            v = dev.roster.runtime.net.Ipv4.parse(ip);
        } catch (IllegalArgumentException e) {
            return false;
        }
        long i = v - network;
        if (i < 2 || i >= size - 1) return false;
        Integer held = byOwner.get(owner);
        if (held != null) return held == i;
        if (used.get((int) i)) return false;
        used.set((int) i);
        byOwner.put(owner, (int) i);
        return true;
    }

    public synchronized void release(String owner) {
        Integer i = byOwner.remove(owner);
        if (i != null) used.clear(i);
    }

    public synchronized int allocated() { return byOwner.size(); }

    static String toString(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }
}
