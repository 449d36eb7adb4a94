package dev.roster.proxy.userspace;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reuses the kernel pipes of finished connections, as {@link BufferPool} reuses buffers: a new
 * pipe costs pipe2 + fcntl now and two closes later, which a one-request connection would pay
 * twice. Only empty pipes come back; one left holding bytes (its connection failed mid-transfer)
 * is closed, and so is every pipe beyond {@code keep}.
 */
final class PipePool {
    private final ZeroCopy zeroCopy;
    private final int keep;
    private final ConcurrentLinkedDeque<ZeroCopy.Pipe> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger kept = new AtomicInteger();
    private volatile boolean closed;

    PipePool(ZeroCopy zeroCopy, int keep) {
        this.zeroCopy = zeroCopy;
        this.keep = keep;
    }

    ZeroCopy zeroCopy() { return zeroCopy; }

    ZeroCopy.Pipe take() throws IOException {
        ZeroCopy.Pipe p = free.pollFirst();
        if (p == null) return zeroCopy.openPipe();
        kept.decrementAndGet();
        return p;
    }

    void give(ZeroCopy.Pipe p) {
        if (p == null) return;
        if (closed || !p.drained() || kept.incrementAndGet() > keep) {
            if (!closed && p.drained()) kept.decrementAndGet();
            p.close();
            return;
        }
        free.addFirst(p);
    }

    /** Closes the pipes kept for reuse, and from now on every pipe given back. */
    void close() {
        closed = true;
        for (ZeroCopy.Pipe p; (p = free.pollFirst()) != null; ) {
            kept.decrementAndGet();
            p.close();
        }
    }
}
