package dev.roster.proxy.userspace;

import java.util.HashMap;
import java.util.Map;

/**
 * IPv4 addresses of one CIDR handed out to owners (Service keys), lowest free first, skipping the
 * network and broadcast addresses. Not thread-safe: one reconciler owns it.
 */
final class AddressPool {
    private final long base;
    private final long size;
    private final Map<Long, String> ownerByAddress = new HashMap<>();
    private final Map<String, Long> addressByOwner = new HashMap<>();
    private long next = 1;

    AddressPool(String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        if (bits < 8 || bits > 30) throw new IllegalArgumentException("pool " + cidr + " must be /8 to /30");
        size = 1L << (32 - bits);
        base = toLong(parts[0]) & ~(size - 1);
    }

    boolean contains(String ip) {
        if (ip == null || !ip.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) return false;
        long a = toLong(ip);
        return a > base && a < base + size - 1;
    }

    /** The owner's address, or null. */
    String addressOf(String owner) {
        Long a = addressByOwner.get(owner);
        return a == null ? null : toIp(a);
    }

    /** Gives {@code ip} to {@code owner} if it is in the pool and free (or already the owner's). */
    boolean claim(String owner, String ip) {
        if (!contains(ip)) return false;
        long a = toLong(ip);
        String holder = ownerByAddress.get(a);
        if (holder != null) return holder.equals(owner);
        release(owner);
        ownerByAddress.put(a, owner);
        addressByOwner.put(owner, a);
        return true;
    }

    /** The owner's address, allocating the next free one; null when the pool is exhausted. */
    String allocate(String owner) {
        String have = addressOf(owner);
        if (have != null) return have;
        for (long i = 0; i < size - 2; i++) {
            long offset = (next - 1 + i) % (size - 2) + 1;
            if (!ownerByAddress.containsKey(base + offset)) {
                next = offset + 1;
                ownerByAddress.put(base + offset, owner);
                addressByOwner.put(owner, base + offset);
                return toIp(base + offset);
            }
        }
        return null;
    }

    void release(String owner) {
        Long a = addressByOwner.remove(owner);
        if (a != null) ownerByAddress.remove(a);
    }

    int used() {
        return addressByOwner.size();
    }

    private static long toLong(String ip) {
        String[] o = ip.split("\\.");
        return (Long.parseLong(o[0]) << 24) | (Long.parseLong(o[1]) << 16) | (Long.parseLong(o[2]) << 8) | Long.parseLong(o[3]);
    }

    private static String toIp(long a) {
        return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }
}
