package dev.roster.bench;

import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * {@link TcpPeers}' two ends as a process of their own, for {@link NetnsDatapathBench}: the server runs as a
 * container of the sink pod (so it listens inside that pod's namespace, as the pod's own process), the client through
 * {@code roster exec CLIENTPOD --} (so its connections leave from the client pod's namespace). Only JDK classes, so
 * the container's user (nobody) needs nothing but read access to bench/target/classes.
 *
 * <pre>java -cp bench/target/classes dev.roster.bench.PodPeer serve PORT
 * java -cp bench/target/classes dev.roster.bench.PodPeer rr HOST PORT REQUESTS CONNECTIONS</pre>
 * {@code rr} prints one line: {@code keepalive-us P50 P99 newconn-us P50 P99}.
 */
public final class PodPeer {
    private PodPeer() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "serve" -> {
                try (TcpPeers.Backend b = new TcpPeers.Backend("0.0.0.0", Integer.parseInt(args[1]))) {
                    System.out.println("READY " + b.port());
                    Thread.currentThread().join(); // the backend's threads are daemons: the pod's process lives until stopped
                }
            }
            case "rr" -> {
                InetSocketAddress to = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
                // warm-ups: the exchange loop is JIT-compiled before it is timed (the same for both paths)
                long[] kept = TcpPeers.keepAlive(to, 2000, Integer.parseInt(args[3]));
                long[] fresh = TcpPeers.newConnections(to, 200, Integer.parseInt(args[4]));
                System.out.printf(Locale.ROOT, "keepalive-us %.1f %.1f newconn-us %.1f %.1f%n",
                        TcpPeers.percentileMicros(kept, 0.5), TcpPeers.percentileMicros(kept, 0.99),
                        TcpPeers.percentileMicros(fresh, 0.5), TcpPeers.percentileMicros(fresh, 0.99));
            }
            default -> throw new IllegalArgumentException("usage: PodPeer serve PORT | rr HOST PORT REQUESTS CONNECTIONS");
        }
    }
}
