package dev.roster.cli;

import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.allocation.ServiceIpAllocator;
import dev.roster.apiserver.pki.ClusterPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** The cluster certificates {@code roster up} uses, in {@code <data-dir>/pki}: made on first start, reused later. */
final class Pki {
    static final String DIR = "pki";

    private Pki() {}

    /** With a client certificate for every component and for each of {@code nodes} node agents. */
    static ClusterPki ensure(Path dataDir, ApiServerConfig api, String bindAddress, int nodes) {
        String kubernetesService = new ServiceIpAllocator(api.serviceCidr()).firstAddress();
        ClusterPki.ServingNames names = ClusterPki.ServingNames.forApiServer(hostName(), kubernetesService, bindAddress);
        // pods reach the server at its advertised address (the netns dataplane's forwarder) and verify it there
        if (api.advertise() != null) names = names.withIp(api.advertise().ip());
        return ClusterPki.ensure(dataDir.resolve(DIR), names, Cluster.identities(nodes), Clock.systemUTC());
    }

    /** The address clients on this machine use: loopback when the server listens everywhere. */
    static String clientHost(String bindAddress) {
        if (bindAddress.equals("0.0.0.0")) return "127.0.0.1";
        if (bindAddress.equals("::") || bindAddress.equals("[::]")) return "[::1]";
        return bindAddress.contains(":") && !bindAddress.startsWith("[") ? "[" + bindAddress + "]" : bindAddress;
    }

    /** The kernel's host name; never a DNS lookup, which can stall start-up on a badly configured machine. */
    static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "" : env;
        }
    }
}
