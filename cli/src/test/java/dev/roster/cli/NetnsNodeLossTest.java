package dev.roster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.pki.ClientIdentity;
import dev.roster.apiserver.pki.ClusterPki;
import dev.roster.apiserver.pki.ServingTls;
import dev.roster.runtime.ClientFamily;
import dev.roster.runtime.net.NetNs;
import dev.roster.storage.memory.MemoryStorage;
import dev.roster.testing.Requires;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node loss on the netns dataplane: one node's agent stops reporting, the node lifecycle controller marks its pods
 * unready after the grace period, the EndpointSlice drops them, and the kube-proxy rules on the other nodes stop
 * sending there — connections from a surviving node keep succeeding, through the pods left.
 */
class NetnsNodeLossTest {
    static final Duration GRACE = Duration.ofSeconds(20);

    @TempDir Path dir;
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    @Test
    @Timeout(180)
    void connectionsAvoidTheLostNodesPods() throws Exception {
        Requires.root("network namespaces for nodes and pods");
        ApiServerConfig config = ApiServerConfig.netns(0).withAdvertise(NetnsDataplane.API_IP, NetnsDataplane.API_PORT);
        ClusterPki pki = Pki.ensure(dir, config, "127.0.0.1", 3);
        ApiServer api = new ApiServer(config, new MemoryStorage(), new ServingTls(pki.serving(), pki.ca().certificate()),
                pki.serviceAccountKey()).start();
        open.add(api);
        NetnsDataplane plane = NetnsDataplane.start(3, "127.0.0.1", api.port());
        open.add(plane);
        Cluster cluster = Cluster.start(ComponentAccess.tls(api.url(), pki), new Cluster.Options(3, GRACE, Cluster.RuntimeKind.process,
                dir, Cluster.ProxyMode.iptables, null, 0, false, false, pki.ca().certificatePem(), true, plane.network()));
        open.add(cluster);
        ClientFamily family = new ClientFamily();
        open.add(family);
        KubernetesClient admin = ComponentAccess.tls(api.url(), pki).client(family, ClientIdentity.ADMIN, "test");

        admin.apps().deployments().inNamespace("default").resource(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(6).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx").addNewPort().withContainerPort(80).endPort().endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        String clusterIp = admin.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).withTargetPort(new IntOrString(80)).endPort().endSpec()
                .build()).create().getSpec().getClusterIP();

        Map<String, String> nodeOfPod = await(() -> readyPods(admin), m -> m.size() == 6 && new HashSet<>(m.values()).size() == 3,
                Duration.ofSeconds(60), "six ready pods on three nodes");
        cluster.nodeAgent("roster-node-2").suspend();

        Map<String, String> left = await(() -> readyPods(admin), m -> !m.isEmpty() && !m.containsValue("roster-node-2"),
                GRACE.plusSeconds(60), "the lost node's pods out of the Endpoints");
        Set<String> reached = podsReached(plane.network().node(1).ns(), clusterIp, 20);
        assertThat(left.keySet()).as("only pods on roster-node-1 and roster-node-3 answer").containsAll(reached);
        assertThat(reached).isNotEmpty();
        assertThat(nodeOfPod.values()).contains("roster-node-2");
    }

    /** pod name → node of the pods listed as ready addresses of the web Endpoints. */
    static Map<String, String> readyPods(KubernetesClient c) {
        Map<String, String> out = new HashMap<>();
        var ep = c.endpoints().inNamespace("default").withName("web").get();
        if (ep == null || ep.getSubsets() == null) return out;
        for (var s : ep.getSubsets()) {
            if (s.getAddresses() == null) continue;
            for (var a : s.getAddresses()) if (a.getTargetRef() != null) out.put(a.getTargetRef().getName(), a.getNodeName());
        }
        return out;
    }

    /** Pods answering {@code tries} fresh connections to ip:80 from inside {@code ns}; a failed connection fails the test. */
    static Set<String> podsReached(NetNs ns, String ip, int tries) {
        Set<String> pods = new HashSet<>();
        for (int i = 0; i < tries; i++) {
            var r = ns.run(List.of("curl", "-s", "--max-time", "2", "http://" + ip + "/"));
            assertThat(r.ok()).as("connection %d to %s from %s: %s", i, ip, ns.name(), r.stderr()).isTrue();
            r.stdout().lines().filter(l -> l.startsWith("pod: ")).forEach(l -> pods.add(l.substring(5).strip()));
        }
        return pods;
    }

    interface Read<T> {
        T get() throws Exception;
    }

    static <T> T await(Read<T> read, java.util.function.Predicate<T> ok, Duration limit, String what) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        T last = null;
        while (System.nanoTime() < end) {
            last = read.get();
            if (ok.test(last)) return last;
            Thread.sleep(250);
        }
        throw new AssertionError("waited " + limit.toSeconds() + " s for " + what + "; last: " + last);
    }
}
