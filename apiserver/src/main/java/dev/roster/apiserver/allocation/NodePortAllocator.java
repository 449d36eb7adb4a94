package dev.roster.apiserver.allocation;

import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/** Hands out NodePorts from a range (upstream default 30000-32767); rebuilt from Services at start. */
public final class NodePortAllocator {
    private final int first;
    private final int last;
    private final BitSet used;

    public NodePortAllocator(int first, int last) {
        this.first = first;
        this.last = last;
        this.used = new BitSet(last - first + 1);
    }

    public String range() {
        return first + "-" + last;
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    public synchronized int allocateNext() {
        int n = last - first + 1;
        int start = ThreadLocalRandom.current().nextInt(n);
        int i = used.nextClearBit(start);
        if (i >= n) i = used.nextClearBit(0);
        if (i >= n) throw new IllegalStateException("range is full");
        used.set(i);
        return first + i;
    }

    public synchronized boolean allocate(int port) {
        int i = port - first;
        if (used.get(i)) return false;
        used.set(i);
        return true;
    }

    public synchronized void release(int port) {
        if (contains(port)) used.clear(port - first);
    }
}
