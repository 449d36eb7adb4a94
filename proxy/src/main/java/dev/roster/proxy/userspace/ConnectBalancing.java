package dev.roster.proxy.userspace;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Connect-time balancing: the kernel sends a new TCP connection to a Service address straight to
 * one of its ready endpoints, at {@code connect(2)}, so its bytes never pass through the proxy
 * (the idea behind Cilium's socket-based load balancing), while {@code getpeername(2)} still names
 * the Service. BPF programs attached to a cgroup v2 directory ({@link ConnectProgram}) do the
 * choosing; the userspace proxy keeps their maps equal
 * to what its own listeners would choose from. It covers the processes in that cgroup (for
 * {@code roster up}: roster's own cgroup, so its pods and, usually, the shell that started it);
 * every other client, UDP, ClientIP affinity and Services without ready endpoints still go
 * through the proxy's listeners. Needs root (CAP_BPF and CAP_NET_ADMIN), Linux with cgroup v2
 * and Java 22+ (FFM).
 *
 * <p>The implementation ({@code BpfConnectBalancing}) is compiled with {@code --release 22}
 * (proxy/src/main/java22) and only reached by reflection, like {@link ZeroCopy}.
 */
interface ConnectBalancing extends AutoCloseable {
    /** System property that turns connect-time balancing off ({@code false}). */
    String PROPERTY = "roster.proxy.connectBalancing";
    String IMPLEMENTATION = "dev.roster.proxy.userspace.BpfConnectBalancing";

    /**
     * New TCP connections from the cgroup to {@code address:port} go to one of {@code endpoints}
     * (IPv4, at random) from now on, replacing what was routed there before.
     */
    void route(InetAddress address, int port, List<Backend> endpoints);

    /** Connections to {@code address:port} go where they are addressed again (the proxy's listener). */
    void remove(InetAddress address, int port);

    /** e.g. "BPF connect4/connect6 on cgroup /sys/fs/cgroup/unified". */
    String describe();

    /** Detaches the program; established connections keep their endpoints. */
    @Override
    void close();

    /** Whether connect-time balancing runs, or why not. */
    record Availability(ConnectBalancing balancing, String reason) {
        boolean available() { return balancing != null; }

        String describe() {
            return available() ? balancing.describe() : "off (" + reason + ")";
        }
    }

    /**
     * Attaches to {@code cgroup} (a cgroup v2 directory; null: this process's own) unless
     * {@code property} (the value of {@link #PROPERTY}) is {@code false} or the machine cannot.
     */
    static Availability attach(String property, Path cgroup) {
        if ("false".equalsIgnoreCase(property)) return new Availability(null, "-D" + PROPERTY + "=false");
        try {
            Java22Feature.requireSupported("cgroup BPF");
            Path dir = cgroup;
            if (dir == null) {
                var own = CgroupV2.ownDirectory();
                if (own.isEmpty()) return new Availability(null, "no cgroup v2 hierarchy is mounted");
                dir = own.get();
            }
            return new Availability((ConnectBalancing) Java22Feature.load("cgroup BPF", IMPLEMENTATION,
                    new Class<?>[] {Path.class}, dir), null);
        } catch (Java22Feature.Unavailable e) {
            return new Availability(null, e.getMessage());
        }
    }
}
