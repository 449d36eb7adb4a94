package dev.roster.runtime.net;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs code inside a network namespace without a process per namespace: one dedicated platform thread enters the
 * namespace with setns(2), runs the task and goes back to the JVM's own namespace. A socket's namespace is fixed
 * when its descriptor is created, so a {@code ServerSocketChannel}/{@code SocketChannel}/{@code DatagramChannel}
 * opened in the task stays in the namespace: binding, accepting and I/O may then happen on any thread. So do
 * processes started in the task (they are forked from this thread) and threads started in it (they copy its
 * namespace): start neither unless that is the point. Tasks run one at a time, so they should be short. A
 * {@code java.net.Socket()} made unconnected creates its descriptor only on connect or bind: open a channel (or
 * bind/connect in the task) instead.
 *
 * <p>setns(2) comes from the FFM API in src/main/java22, reached by reflection so release-21 code can call this.
 */
public final class NsThread {
    /** The JVM's own namespace: the main thread's, which never moves. */
    private static final String HOME = "/proc/self/ns/net";
    private static final String CURRENT = "/proc/thread-self/ns/net";
    private static final String IMPLEMENTATION = "dev.roster.runtime.net.FfmNamespaceSwitch";
    private static final Object LOCK = new Object();
    private static Worker worker; // guarded by LOCK; replaced when a thread could not go home

    private NsThread() {}

    /**
     * Runs {@code task} inside {@code ns} and returns its result; the task's exception is rethrown as it is. Blocks
     * until the task ends. Called from inside a task, it nests (and returns to the outer task's namespace).
     */
    public static <T> T call(NetNs ns, Callable<T> task) throws Exception {
        Worker w = worker();
        if (Thread.currentThread() == w.thread) return w.nested(ns, task);
        Future<T> f = w.executor.submit(() -> w.inside(ns, task));
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        } catch (InterruptedException e) {
            f.cancel(true); // the task's own finally still takes the thread home
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** {@link #call} for tasks whose failures the caller only reports: IOException unchecked, others wrapped. */
    static <T> T callUnchecked(NetNs ns, Callable<T> task) {
        try {
            return call(ns, task);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in " + ns, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Null when namespaces can be entered here; else why not, in one line. */
    public static String unavailableReason() {
        return Holder.REASON;
    }

    private static Worker worker() {
        if (Holder.SWITCH == null) throw new IllegalStateException("cannot enter network namespaces: " + Holder.REASON);
        synchronized (LOCK) {
            if (worker == null || worker.broken) worker = new Worker(Holder.SWITCH);
            return worker;
        }
    }

    /** The one platform thread and the descriptor of the namespace it returns to. */
    private static final class Worker {
        final NamespaceSwitch sw;
        final ExecutorService executor;
        final int home;
        volatile Thread thread;
        volatile boolean broken;

        Worker(NamespaceSwitch sw) {
            this.sw = sw;
            try {
                home = sw.open(HOME);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot open the JVM's own network namespace: " + e.getMessage(), e);
            }
            // a platform thread: a virtual thread would hop between carrier threads and leave the namespace behind
            executor = Executors.newSingleThreadExecutor(r -> thread = Thread.ofPlatform().daemon().name("roster-netns").unstarted(r));
        }

        <T> T inside(NetNs ns, Callable<T> task) throws Exception {
            return run(ns, task, home);
        }

        /** A call from a task: returns to wherever that task is, through a descriptor of it opened now. */
        <T> T nested(NetNs ns, Callable<T> task) throws Exception {
            int back = sw.open(CURRENT);
            try {
                return run(ns, task, back);
            } finally {
                sw.close(back);
            }
        }

        private <T> T run(NetNs ns, Callable<T> task, int back) throws Exception {
            int target;
            try {
                target = sw.open("/run/netns/" + ns.name());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("network namespace \"" + ns.name() + "\" cannot be entered: " + e.getMessage(), e);
            }
            try {
                sw.enter(target);
            } finally {
                sw.close(target);
            }
            try {
                return task.call();
            } finally {
                goBack(back);
            }
        }

        private void goBack(int back) throws java.io.IOException {
            try {
                sw.enter(back);
            } catch (java.io.IOException | RuntimeException e) {
                // this thread is stuck elsewhere: it must never run another task; the next call makes a new one
                broken = true;
                executor.shutdown();
                throw e;
            }
        }
    }

    /** Loaded once, on first use: the FFM implementation or why there is none. */
    private static final class Holder {
        static final NamespaceSwitch SWITCH;
        static final String REASON;

        static {
            NamespaceSwitch sw = null;
            String reason = null;
            int feature = Runtime.version().feature();
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                reason = "network namespaces are Linux-only";
            } else if (feature < 22) {
                reason = "Java " + feature + " has no final FFM API for setns(2) (needs 22+)";
            } else {
                try {
                    sw = (NamespaceSwitch) Class.forName(IMPLEMENTATION).getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    reason = "cannot load " + IMPLEMENTATION + " (built without JDK 22+?): " + e;
                }
            }
            SWITCH = sw;
            REASON = reason;
        }
    }
}
