package dev.roster.proxy.userspace;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reuses the direct buffers of finished connections. Allocating a direct buffer zeroes it and its
 * memory is only given back by the garbage collector, which a short-connection workload (one HTTP
 * request per connection) would otherwise pay for on every connection.
 */
final class BufferPool {
    private final int size;
    private final int keep;
    private final ConcurrentLinkedDeque<ByteBuffer> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger kept = new AtomicInteger();

    BufferPool(int size, int keep) {
        this.size = size;
        this.keep = keep;
    }

    ByteBuffer take() {
        ByteBuffer b = free.pollFirst();
        if (b == null) return ByteBuffer.allocateDirect(size);
        kept.decrementAndGet();
        return b;
    }

    void give(ByteBuffer b) {
        if (kept.incrementAndGet() > keep) {
            kept.decrementAndGet();
            return;
        }
        b.clear();
        free.addFirst(b);
    }
}
