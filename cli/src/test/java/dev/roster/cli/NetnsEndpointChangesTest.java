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
import java.nio.file.Files;
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
 * What changes where new connections go on the netns dataplane, with the kernel rules of every node carrying them:
 * a node lost (its agent stops reporting; after the grace period its pods are unready, the EndpointSlice drops them
 * and the other nodes' rules stop sending there) and a readiness probe failing.
 */
class NetnsEndpointChangesTest {
    static final Duration GRACE = Duration.ofSeconds(20);

    @TempDir Path dir;
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private Cluster cluster;
    private NetnsDataplane plane;
    private KubernetesClient admin;

    /** An API server, a 3-node netns dataplane with iptables proxies, controllers and node agents, all in this JVM. */
    private void startCluster() throws Exception {
        Requires.root("network namespaces for nodes and pods");
        ApiServerConfig config = ApiServerConfig.netns(0).withAdvertise(NetnsDataplane.API_IP, NetnsDataplane.API_PORT);
        ClusterPki pki = Pki.ensure(dir, config, "127.0.0.1", 3);
        ApiServer api = new ApiServer(config, new MemoryStorage(), new ServingTls(pki.serving(), pki.ca().certificate()),
                pki.serviceAccountKey()).start();
        open.add(api);
        plane = NetnsDataplane.start(3, "127.0.0.1", api.port());
        open.add(plane);
        cluster = Cluster.start(ComponentAccess.tls(api.url(), pki), new Cluster.Options(3, GRACE, Cluster.RuntimeKind.process,
                dir, Cluster.ProxyMode.iptables, null, 0, false, false, pki.ca().certificatePem(), true, plane.network(), null));
        open.add(cluster);
        ClientFamily family = new ClientFamily();
        open.add(family);
        admin = ComponentAccess.tls(api.url(), pki).client(family, ClientIdentity.ADMIN, "test");
    }

    /** Deployment {@code name} of built-in-workload pods labelled app=web, optionally with an exec readiness probe. */
    private void deploy(String name, int replicas, List<String> readinessCommand) {
        var container = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("web").withImage("nginx")
                .addNewPort().withContainerPort(80).endPort();
        if (readinessCommand != null) {
            container.withNewReadinessProbe().withNewExec().withCommand(readinessCommand).endExec().withPeriodSeconds(1)
                    .withFailureThreshold(1).endReadinessProbe();
        }
        admin.apps().deployments().inNamespace("default").resource(new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("deployment", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").addToLabels("deployment", name).endMetadata()
                .withNewSpec().withContainers(container.build()).endSpec().endTemplate().endSpec().build()).create();
    }

    private String service() {
        return admin.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).withTargetPort(new IntOrString(80)).endPort().endSpec()
                .build()).create().getSpec().getClusterIP();
    }

    @Test
    @Timeout(180)
    void aFailingReadinessProbeTakesItsPodsOutOfTheRules() throws Exception {
        startCluster();
        // the probe reads a file only this test writes: world-readable, as probes run as the container's user (nobody)
        Path flags = Files.createTempDirectory("roster-ready-", java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        open.add(() -> { Files.deleteIfExists(flags.resolve("blue")); Files.deleteIfExists(flags); });
        Files.writeString(flags.resolve("blue"), "ok");
        deploy("blue", 2, List.of("cat", flags.resolve("blue").toString()));
        deploy("green", 2, null);
        String clusterIp = service();
        Map<String, String> all = await(() -> readyPods(admin), m -> m.size() == 4, Duration.ofSeconds(60), "four ready pods");
        // the endpoints are ready a moment before every node's rules say so
        await(() -> reached(plane.network().node(1).ns(), clusterIp, 30), r -> r.failed() == 0 && r.pods().size() == 4,
                Duration.ofSeconds(10), "blue and green answer from roster-node-1");

        Files.delete(flags.resolve("blue"));
        Map<String, String> green = await(() -> readyPods(admin), m -> m.size() == 2, Duration.ofSeconds(30), "blue pods unready");
        assertThat(green.keySet()).allMatch(p -> p.startsWith("green-"));
        assertThat(green.keySet()).isSubsetOf(all.keySet());
        await(() -> reached(plane.network().node(3).ns(), clusterIp, 12), r -> r.failed() == 0 && green.keySet().containsAll(r.pods()),
                Duration.ofSeconds(10), "connections from roster-node-3 only to green pods");
    }

    @Test
    @Timeout(180)
    void connectionsAvoidTheLostNodesPods() throws Exception {
        startCluster();
        deploy("web", 6, null);
        String clusterIp = service();

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
        Reached r = reached(ns, ip, tries);
        assertThat(r.failed()).as("failed connections to %s from %s", ip, ns.name()).isZero();
        return r.pods();
    }

    record Reached(Set<String> pods, int failed) {}

    static Reached reached(NetNs ns, String ip, int tries) {
        Set<String> pods = new HashSet<>();
        int failed = 0;
        for (int i = 0; i < tries; i++) {
            var r = ns.run(List.of("curl", "-s", "--max-time", "2", "http://" + ip + "/"));
            if (!r.ok()) failed++;
            r.stdout().lines().filter(l -> l.startsWith("pod: ")).forEach(l -> pods.add(l.substring(5).strip()));
        }
        return new Reached(pods, failed);
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
