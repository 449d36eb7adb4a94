package dev.roster.proxy.userspace;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the userspace proxy runs.
 *
 * @param nodeAddresses where NodePorts listen (loopback mode: 127.0.0.1 only)
 * @param bufferBytes size of each direction's direct buffer per TCP connection: bigger means fewer
 *     read/write system calls per byte on bulk transfers
 * @param virtualThreads whether TCP connections are pumped by virtual threads (cheap when there are
 *     thousands of connections) or by platform threads (lowest latency, the default: see docs/benchmarks.md)
 * @param connectTimeout how long a connection to one endpoint may take before another is tried
 * @param udpIdleTimeout how long a UDP client session lives without traffic (conntrack's default is 30 s)
 * @param bindRetry how soon a failed bind is tried again
 * @param eventLoops 0: two blocking threads per TCP connection (the default); n &gt; 0: n selector
 *     threads shared by all connections instead
 * @param zeroCopy whether TCP bytes may move with splice(2) instead of being copied, where the JVM
 *     allows it ({@link UserspaceProxy#tcpDataPath()}); platform threads without event loops only
 * @param connectBalancing whether TCP connections from one cgroup go straight to an endpoint at
 *     connect(2) ({@link UserspaceProxy#connectBalancing()}; root, cgroup v2 and Java 22+ only)
 * @param connectCgroup that cgroup's v2 directory; null: the proxy's own
 */
public record ProxyOptions(
        List<String> nodeAddresses,
        int bufferBytes,
        boolean virtualThreads,
        Duration connectTimeout,
        Duration udpIdleTimeout,
        Duration bindRetry,
        int eventLoops,
        boolean zeroCopy,
        boolean connectBalancing,
        Path connectCgroup) {

    public ProxyOptions {
        nodeAddresses = List.copyOf(nodeAddresses);
        if (bufferBytes < 1024) throw new IllegalArgumentException("bufferBytes must be at least 1024");
    }

    /**
     * Loopback mode: NodePorts on 127.0.0.1, 128 KiB buffers, platform threads, zero-copy where
     * available, no connect-time balancing.
     */
    public static ProxyOptions loopback() {
        return new ProxyOptions(List.of("127.0.0.1"), 128 * 1024, false,
                Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(10), 0, true, false, null);
    }

    public ProxyOptions withBufferBytes(int bytes) {
        return new ProxyOptions(nodeAddresses, bytes, virtualThreads, connectTimeout, udpIdleTimeout, bindRetry, eventLoops, zeroCopy, connectBalancing, connectCgroup);
    }

    public ProxyOptions withVirtualThreads(boolean v) {
        return new ProxyOptions(nodeAddresses, bufferBytes, v, connectTimeout, udpIdleTimeout, bindRetry, eventLoops, zeroCopy, connectBalancing, connectCgroup);
    }

    public ProxyOptions withUdpIdleTimeout(Duration d) {
        return new ProxyOptions(nodeAddresses, bufferBytes, virtualThreads, connectTimeout, d, bindRetry, eventLoops, zeroCopy, connectBalancing, connectCgroup);
    }

    public ProxyOptions withEventLoops(int n) {
        return new ProxyOptions(nodeAddresses, bufferBytes, virtualThreads, connectTimeout, udpIdleTimeout, bindRetry, n, zeroCopy, connectBalancing, connectCgroup);
    }

    public ProxyOptions withZeroCopy(boolean z) {
        return new ProxyOptions(nodeAddresses, bufferBytes, virtualThreads, connectTimeout, udpIdleTimeout, bindRetry, eventLoops, z, connectBalancing, connectCgroup);
    }

    public ProxyOptions withNodeAddresses(List<String> addresses) {
        return new ProxyOptions(addresses, bufferBytes, virtualThreads, connectTimeout, udpIdleTimeout, bindRetry, eventLoops, zeroCopy, connectBalancing, connectCgroup);
    }

    /** Connect-time balancing on, for the processes of {@code cgroup} (a cgroup v2 directory; null: the proxy's own). */
    public ProxyOptions withConnectBalancing(Path cgroup) {
        return new ProxyOptions(nodeAddresses, bufferBytes, virtualThreads, connectTimeout, udpIdleTimeout, bindRetry, eventLoops, zeroCopy, true, cgroup);
    }
}
