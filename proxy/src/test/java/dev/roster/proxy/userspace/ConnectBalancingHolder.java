package dev.roster.proxy.userspace;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A process that attaches connect-time balancing to a cgroup, routes one address to one backend,
 * prints {@code READY} and then waits to be killed: what a roster killed with SIGKILL leaves.
 *
 * <pre>java -cp ... ConnectBalancingHolder cgroupDir serviceIp servicePort backendPort</pre>
 */
public final class ConnectBalancingHolder {
    private ConnectBalancingHolder() {}

    public static void main(String[] args) throws Exception {
        ConnectBalancing.Availability a = ConnectBalancing.attach(null, Path.of(args[0]));
        if (!a.available()) throw new IllegalStateException(a.reason());
        a.balancing().route(InetAddress.getByName(args[1]), Integer.parseInt(args[2]),
                List.of(new Backend("127.0.0.1", Integer.parseInt(args[3]), true, true, false)));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
