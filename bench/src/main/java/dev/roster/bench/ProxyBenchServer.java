package dev.roster.bench;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.proxy.userspace.ProxyOptions;
import dev.roster.proxy.userspace.UserspaceProxy;
import dev.roster.storage.memory.MemoryStorage;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;

/**
 * roster's userspace proxy in its own JVM for {@link ProxyBench}, driven the way {@code roster up}
 * drives it: an in-process API server, a Service with an explicit ClusterIP and a hand-written
 * EndpointSlice pointing at the benchmark's backend, the proxy watching both. Prints
 * {@code READY} once the proxy listens, and exits when its standard input closes.
 *
 * <pre>java -cp ... dev.roster.bench.ProxyBenchServer clusterIP port backendPort virtual|platform|loops bufferBytes [connect]</pre>
 *
 * <p>The TCP data path (zero-copy splice or copying) follows the JVM's flags as in {@code roster up}:
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} allows splice, {@code -Droster.proxy.splice=false}
 * turns it off; the READY line names the path in use. With {@code connect} the proxy also balances
 * at connect(2) for its own cgroup, which is the benchmark's (root only), and READY waits for the
 * kernel route.
 */
public final class ProxyBenchServer {
    private ProxyBenchServer() {}

    public static void main(String[] args) throws Exception {
        String clusterIP = args[0];
        int port = Integer.parseInt(args[1]);
        int backendPort = Integer.parseInt(args[2]);
        boolean virtual = args[3].equals("virtual");
        int loops = args[3].equals("loops") ? 2 : 0;
        int buffer = Integer.parseInt(args[4]);
        boolean connect = args.length > 5 && args[5].equals("connect");
        MemoryStorage storage = new MemoryStorage();
        ApiServer api = new ApiServer(ApiServerConfig.loopback(0), storage).start();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(api.url()).withOnlyHttpWatches(true).build()).build();
        client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("bench").endMetadata()
                .withNewSpec().withClusterIP(clusterIP).addNewPort().withName("tcp").withPort(port)
                .withTargetPort(new IntOrString(backendPort)).endPort().endSpec().build()).create();
        client.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("bench-1").withLabels(Map.of("kubernetes.io/service-name", "bench")).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("tcp").withPort(backendPort).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).endConditions().endEndpoint()
                .build()).create();
        ProxyOptions options = ProxyOptions.loopback().withVirtualThreads(virtual).withBufferBytes(buffer).withEventLoops(loops);
        UserspaceProxy proxy = new UserspaceProxy(client, connect ? options.withConnectBalancing(null) : options).start();
        if (connect && proxy.connectBalancing().startsWith("off")) {
            throw new IllegalStateException("connect-time balancing: " + proxy.connectBalancing());
        }
        String where = clusterIP + ":" + port + "/TCP";
        long deadline = System.currentTimeMillis() + 30_000;
        while (!(proxy.listening().contains(where) && !proxy.targets("default", "bench").getOrDefault("tcp/TCP", java.util.List.of()).isEmpty()
                && (!connect || !proxy.connectRoute(clusterIP, port).isEmpty()))) {
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("proxy not listening on " + where + ": " + proxy.bindErrors());
            Thread.sleep(10);
        }
        System.out.println("READY " + (connect ? "connect-time balancing: " + proxy.connectBalancing() : proxy.tcpDataPath()));
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // until the parent closes our stdin
            }
        } finally {
            proxy.close();
            client.close();
            api.close();
            storage.close();
            System.exit(0);
        }
    }
}
