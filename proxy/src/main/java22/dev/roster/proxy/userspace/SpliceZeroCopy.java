package dev.roster.proxy.userspace;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ZeroCopy} with Linux's {@code splice(2)} through the FFM API (compiled with
 * {@code --release 22}; loaded only by {@link ZeroCopy#probe}).
 *
 * <p>The constructor fails with a one-line reason when anything it needs is missing: a libc symbol,
 * or the socket's file descriptor, which java.nio keeps in {@code sun.nio.ch.SelChImpl#getFDVal}
 * and only shows to code started with {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}.
 */
final class SpliceZeroCopy implements ZeroCopy {
    private static final int SPLICE_F_MOVE = 1;
    private static final int SPLICE_F_MORE = 4;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_NONBLOCK = 0x800;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int F_GETPIPE_SZ = 1032;
    private static final int POLLIN = 1;
    private static final int POLLOUT = 4;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;

    private final MethodHandle splice;
    private final MethodHandle pipe2;
    private final MethodHandle fcntl;
    private final MethodHandle poll;
    private final MethodHandle fdOf;
    private final int wantedPipeBytes;
    private volatile int pipeBytes;
    /**
     * Enlarged pipes count against the user's pipe quota (fs.pipe-user-pages-soft, 64 MiB by
     * default, for users without CAP_SYS_RESOURCE); beyond this many, pipes keep the kernel's
     * default size so the proxy does not use up the quota the user's other programs share.
     */
    private static final int MAX_ENLARGED_PIPES = 24;
    private static final int DEFAULT_PIPE_BYTES = 65536;
    private final AtomicInteger enlargedPipes = new AtomicInteger();

    SpliceZeroCopy() throws Exception {
        Module nio = Object.class.getModule();
        if (!nio.isExported("sun.nio.ch", SpliceZeroCopy.class.getModule())) {
            throw new IllegalStateException("no access to socket file descriptors (start the JVM with"
                    + " --add-exports java.base/sun.nio.ch=ALL-UNNAMED)");
        }
        Method getFd = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
        fdOf = MethodHandles.lookup().unreflect(getFd);

        splice = Libc.functionWithErrno("splice",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        pipe2 = Libc.functionWithErrno("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        fcntl = Libc.functionWithErrno("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        poll = Libc.functionWithErrno("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        wantedPipeBytes = Integer.getInteger(PIPE_BYTES_PROPERTY, 1 << 20);
        // proves the calls work here (e.g. seccomp may forbid them) before any connection relies on it
        openPipe().close();
    }

    @Override
    public String describe() {
        int b = pipeBytes;
        return "splice(2), pipes of " + (b >= 1024 ? b / 1024 + " KiB" : b + " bytes");
    }

    @Override
    public Pipe openPipe() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            if ((int) pipe2.invokeExact(state, fds, O_CLOEXEC) < 0) throw failure("pipe2", state);
            int r = fds.getAtIndex(JAVA_INT, 0);
            int w = fds.getAtIndex(JAVA_INT, 1);
            // a bigger pipe means fewer splice calls per byte; the kernel caps it
            // (fs.pipe-max-size, per-user pipe pages), and the default 64 KiB works too
            int size = -1;
            boolean enlarged = false;
            if (enlargedPipes.incrementAndGet() <= MAX_ENLARGED_PIPES) {
                size = (int) fcntl.invokeExact(state, w, F_SETPIPE_SZ, wantedPipeBytes);
                enlarged = size > DEFAULT_PIPE_BYTES;
            }
            if (!enlarged) enlargedPipes.decrementAndGet();
            if (size < 0) size = (int) fcntl.invokeExact(state, w, F_GETPIPE_SZ, 0);
            if (size >= 0 && size < DEFAULT_PIPE_BYTES) {
                // the kernel hands out minimal pipes once a user is over fs.pipe-user-pages-soft;
                // taking more would only shrink the pipes of the user's other programs too
                Libc.close(r);
                Libc.close(w);
                throw new IOException("pipe quota of this user used up (fs.pipe-user-pages-soft)");
            }
            if (size > 0) pipeBytes = Math.max(pipeBytes, size);
            return new KernelPipe(r, w, size > 0 ? size : DEFAULT_PIPE_BYTES, enlarged);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    @Override
    public long pump(SocketChannel in, SocketChannel out, Pipe p) throws IOException {
        KernelPipe pipe = (KernelPipe) p;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            MemorySegment pollfd = arena.allocate(8);
            int from = (int) fdOf.invoke(in);
            int to = (int) fdOf.invoke(out);
            // java.nio may have left a socket non-blocking (a connect with a timeout does): this
            // thread wants to sleep in the kernel instead of polling
            blocking(from, state);
            blocking(to, state);
            long total = 0;
            while (true) {
                long n = (long) splice.invokeExact(state, from, MemorySegment.NULL, pipe.writeFd, MemorySegment.NULL,
                        (long) pipe.size, SPLICE_F_MOVE | SPLICE_F_MORE);
                if (n == 0) return total; // end of stream (or shut down)
                if (n < 0) {
                    await(from, POLLIN, "splice from socket", state, pollfd);
                    continue;
                }
                pipe.held = n;
                while (pipe.held > 0) {
                    long m = (long) splice.invokeExact(state, pipe.readFd, MemorySegment.NULL, to, MemorySegment.NULL,
                            pipe.held, SPLICE_F_MOVE);
                    if (m < 0) {
                        await(to, POLLOUT, "splice to socket", state, pollfd);
                        continue;
                    }
                    if (m == 0) throw new IOException("splice to socket moved nothing");
                    pipe.held -= m;
                }
                total += n;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** After a failed call: retries on EINTR, waits with poll(2) on EAGAIN, else throws. */
    private void await(int fd, int events, String what, MemorySegment state, MemorySegment pollfd) throws Throwable {
        int err = Libc.errno(state);
        if (err == EINTR) return;
        if (err != EAGAIN) throw failure(what, err);
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, (short) events);
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        int r = (int) poll.invokeExact(state, pollfd, 1L, -1);
        if (r < 0 && Libc.errno(state) != EINTR) throw failure("poll", Libc.errno(state));
    }

    private void blocking(int fd, MemorySegment state) throws Throwable {
        int flags = (int) fcntl.invokeExact(state, fd, F_GETFL, 0);
        if (flags >= 0 && (flags & O_NONBLOCK) != 0) {
            int ignored = (int) fcntl.invokeExact(state, fd, F_SETFL, flags & ~O_NONBLOCK);
        }
    }

    private static IOException failure(String what, MemorySegment state) {
        return failure(what, Libc.errno(state));
    }

    private static IOException failure(String what, int err) {
        return new IOException(what + ": " + Libc.strerror(err));
    }

    /** Both ends of one pipe; closed once (a pool or a connection may race to close it). */
    private final class KernelPipe implements Pipe {
        final int readFd;
        final int writeFd;
        final int size;
        final boolean enlarged;
        long held; // bytes in the pipe not yet passed on: written by the one pumping thread
        private final AtomicBoolean closed = new AtomicBoolean();

        KernelPipe(int readFd, int writeFd, int size, boolean enlarged) {
            this.readFd = readFd;
            this.writeFd = writeFd;
            this.size = size;
            this.enlarged = enlarged;
        }

        @Override
        public boolean drained() { return held == 0; }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) return;
            if (enlarged) enlargedPipes.decrementAndGet();
            Libc.close(readFd);
            Libc.close(writeFd);
        }
    }
}
