package dev.roster.proxy.userspace;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * The zero-copy TCP data path: bytes move socket → pipe → socket inside the kernel with
 * {@code splice(2)}, so the proxy never copies them into its own memory.
 *
 * <p>The implementation ({@code SpliceZeroCopy}) calls libc through the FFM API, final only from
 * Java 22, so it is compiled separately with {@code --release 22} (proxy/src/main/java22) and is
 * only ever reached by reflection from here: the rest of the module stays at Java 21 and runs
 * unchanged on the copying path when it cannot be loaded.
 */
interface ZeroCopy {
    /** System property that turns the zero-copy path off ({@code false}); anything else leaves it on. */
    String PROPERTY = "roster.proxy.splice";
    /** System property: bytes per pipe, asked of the kernel with F_SETPIPE_SZ (default 1 MiB; the kernel may refuse). */
    String PIPE_BYTES_PROPERTY = "roster.proxy.splice.pipe-bytes";
    String IMPLEMENTATION = "dev.roster.proxy.userspace.SpliceZeroCopy";

    /** A kernel pipe that carries one direction of one connection. */
    interface Pipe {
        /** Whether the pipe is empty, so another connection may use it. */
        boolean drained();

        void close();
    }

    /** Opens a pipe (close-on-exec, sized as the kernel allows). */
    Pipe openPipe() throws IOException;

    /**
     * Moves everything {@code in} receives to {@code out} through {@code pipe} until {@code in}
     * reaches end of stream (returns the byte count) or either socket fails (IOException; the pipe
     * may then still hold data). Blocks the calling thread, which must be a platform thread: a
     * virtual thread would pin its carrier. A call blocked here is woken by shutting the sockets
     * down (shutdown(2)), not by closing the channels.
     */
    long pump(SocketChannel in, SocketChannel out, Pipe pipe) throws IOException;

    /** e.g. "splice(2), pipes of 1024 KiB". */
    String describe();

    /** What the JVM can do: the zero-copy path, or why not. */
    record Availability(ZeroCopy zeroCopy, String reason) {
        boolean available() { return zeroCopy != null; }

        String describe() {
            return available() ? "zero-copy " + zeroCopy.describe() : "copying (" + reason + ")";
        }
    }

    /** The verdict for this JVM, worked out once. */
    static Availability shared() {
        return Holder.SHARED;
    }

    /** Works the verdict out now; {@code property} is the value of {@link #PROPERTY} (null: unset). */
    static Availability probe(String property) {
        if ("false".equalsIgnoreCase(property)) return new Availability(null, "-D" + PROPERTY + "=false");
        try {
            return new Availability((ZeroCopy) Java22Feature.load("splice(2)", IMPLEMENTATION, new Class<?>[0]), null);
        } catch (Java22Feature.Unavailable e) {
            return new Availability(null, e.getMessage());
        }
    }

    final class Holder {
        static final Availability SHARED = probe(System.getProperty(PROPERTY));

        private Holder() {}
    }
}
