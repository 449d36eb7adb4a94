package dev.roster.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One node namespace made by hand (ClusterNetworkTest covers pods across nodes). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PodNetworkTest {
    private static final String UID = "0123abcd-ef45-4678-9abc-def012345678";
    private static final String POD_NS_SUFFIX = "-pod-0123abcdef4";
    private static final String VETH = "veth0123abcdef4";
    private String prefix;
    private NodeNetwork node;

    @BeforeEach
    void node() {
        prefix = Scratch.prefix();
        NetNs ns = NetNs.create(prefix + "-node-1");
        node = new NodeNetwork(ns.name(), ns, "172.18.0.2", "10.244.1.0/24", "10.244.1.1");
    }

    @AfterEach
    void delete() {
        if (node == null) return;
        PodNetwork.detach(node, UID);
        node.ns().delete();
    }

    @Test
    void attachWiresThePodToItsNodeAndDetachRemovesItAll() throws Exception {
        long start = System.nanoTime();
        PodAttachment pod = PodNetwork.attach(node, UID, "10.244.1.2");
        long micros = (System.nanoTime() - start) / 1000;
        System.out.println("attach took " + micros + " µs");

        assertThat(List.of(pod.podNs().name(), pod.podIp(), pod.hostVeth())).containsExactly(prefix + POD_NS_SUFFIX, "10.244.1.2", VETH);
        assertThat(pod.podNs().exists()).isTrue();
        assertThat(out(pod.podNs(), "ip", "-4", "-o", "addr", "show", "dev", "eth0")).contains("inet 10.244.1.2/32");
        assertThat(out(pod.podNs(), "ip", "route")).isEqualTo("default via 10.244.1.1 dev eth0 \n10.244.1.1 dev eth0 scope link \n");
        assertThat(out(node.ns(), "ip", "-4", "-o", "addr", "show", "dev", VETH)).contains("inet 10.244.1.1/32");
        assertThat(out(node.ns(), "ip", "route")).isEqualTo("10.244.1.2 dev " + VETH + " scope link \n");

        try (TcpServer inPod = TcpServer.in(pod.podNs(), "10.244.1.2");
             TcpServer onNode = TcpServer.in(node.ns(), "10.244.1.1")) {
            inPod.assertReachedFrom(node.ns());
            onNode.assertReachedFrom(pod.podNs());
        }

        PodNetwork.detach(node, UID);
        assertThat(pod.podNs().exists()).isFalse();
        assertThat(out(node.ns(), "ip", "-o", "link")).doesNotContain(VETH);
        assertThat(out(node.ns(), "ip", "route")).isEmpty();
        PodNetwork.detach(node, UID); // again: nothing to do
    }

    @Test
    void podsOnOneNodeShareTheGatewayAndEachIsReachable() throws Exception {
        List<Long> micros = new java.util.ArrayList<>();
        List<PodAttachment> pods = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                long start = System.nanoTime();
                pods.add(PodNetwork.attach(node, "feed000000" + i, "10.244.1." + (10 + i)));
                micros.add((System.nanoTime() - start) / 1000);
            }
            System.out.println("attach of 8 pods took " + micros + " µs, median " + micros.stream().sorted().toList().get(4));
            assertThat(out(node.ns(), "ip", "-4", "-o", "addr").lines().filter(l -> l.contains("inet 10.244.1.1/32"))).hasSize(8);
            for (PodAttachment pod : pods) {
                try (TcpServer server = TcpServer.in(pod.podNs(), pod.podIp())) {
                    assertThat(server.assertReachedFrom(node.ns())).isEqualTo("10.244.1.1");
                }
            }
        } finally {
            for (int i = 0; i < 8; i++) PodNetwork.detach(node, "feed000000" + i);
        }
        assertThat(out(node.ns(), "ip", "route")).isEmpty();
    }

    enum Leftover {
        NONE(n -> {}),
        EARLIER_ATTACH(n -> PodNetwork.attach(n, UID, "10.244.1.9")),
        STRAY_VETH(n -> n.ns().run(List.of("ip", "link", "add", VETH, "type", "dummy"))),
        STRAY_NAMESPACE(n -> NetNs.create(n.podNamespace("0123abcdef4")));

        final Consumer<NodeNetwork> make;

        Leftover(Consumer<NodeNetwork> make) {
            this.make = make;
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Leftover.class)
    void anAttachReplacesWhatACrashedRunLeftForThePod(Leftover leftover) throws Exception {
        leftover.make.accept(node);
        PodAttachment pod = PodNetwork.attach(node, UID, "10.244.1.2");
        assertThat(out(node.ns(), "ip", "route")).isEqualTo("10.244.1.2 dev " + VETH + " scope link \n");
        try (TcpServer inPod = TcpServer.in(pod.podNs(), "10.244.1.2")) {
            inPod.assertReachedFrom(node.ns());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0123abcd             | 10.244.1.2 | pod uid "0123abcd" does not start with 11 hex digits
            0123abcd-eg45-0000   | 10.244.1.2 | pod uid "0123abcd-eg45-0000" does not start with 11 hex digits
            0123abcd-ef45-4678   | 10.244.2.2 | pod IP 10.244.2.2 is not a pod address of NODE (10.244.1.0/24, gateway 10.244.1.1)
            0123abcd-ef45-4678   | 10.244.1.1 | pod IP 10.244.1.1 is not a pod address of NODE (10.244.1.0/24, gateway 10.244.1.1)
            0123abcd-ef45-4678   | 10.244.1.x | not an IPv4 address: "10.244.1.x"
            """)
    void badInputIsRefusedBeforeAnythingIsMade(String uid, String ip, String message) throws Exception {
        assertThatThrownBy(() -> PodNetwork.attach(node, uid, ip)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message.replace("NODE", node.name()));
        assertThat(out(node.ns(), "ip", "-o", "link")).doesNotContain("veth");
    }

    static String out(NetNs ns, String... argv) {
        ExecResult r = ns.run(List.of(argv));
        assertThat(r.exitCode()).as(String.join(" ", argv) + ": " + r.stderr()).isZero();
        return r.stdout();
    }
}
