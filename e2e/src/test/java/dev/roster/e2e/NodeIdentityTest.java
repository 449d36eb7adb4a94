package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.roster.apiserver.pki.Pem;
import dev.roster.apiserver.pki.Subjects;
import dev.roster.runtime.Clients;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each node agent of a real {@code roster up --nodes 2} has its own certificate, and a node's certificate reaches only
 * what is its own: the Node authorizer and node restriction admission answer node roster-node-1 with upstream's 403s.
 */
class NodeIdentityTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess("--nodes", "2", "--runtime", "sim", "--proxy-mode", "none");
    static final String A = "roster-node-1";
    static final String B = "roster-node-2";
    static final Duration WAIT = Duration.ofSeconds(30);
    static KubernetesClient admin;
    static KubernetesClient nodeA;

    @BeforeAll
    static void setUp() throws Exception {
        admin = Fabric8CrudTest.client(roster);
        nodeA = nodeClient(A);
        for (String s : List.of("used", "unused")) {
            admin.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName(s).endMetadata()
                    .withStringData(Map.of("k", "v")).build()).create();
        }
        for (String[] p : new String[][] {{"web", A}, {"far", B}}) {
            admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(p[0]).endMetadata()
                    .withNewSpec().withNodeName(p[1]).addNewContainer().withName("c").withImage("busybox").endContainer()
                    .addNewVolume().withName("s").withNewSecret().withSecretName("used").endSecret().endVolume()
                    .endSpec().build()).create();
        }
    }

    @AfterAll
    static void tearDown() {
        if (nodeA != null) nodeA.close();
        if (admin != null) admin.close();
    }

    /** A client that is the node: its certificate and key from the data dir's PKI, as its agent uses them. */
    static KubernetesClient nodeClient(String node) throws Exception {
        Path pki = roster.dataDir().resolve("pki");
        java.util.function.Function<String, String> data = file -> {
            try {
                return java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(pki.resolve(file)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        return Clients.of(new ConfigBuilder(Config.empty()).withMasterUrl(roster.url().toString()).withCaCertData(data.apply("ca.crt"))
                .withClientCertData(data.apply("clients/node-" + node + ".crt")).withClientKeyData(data.apply("clients/node-" + node + ".key"))
                .withClientKeyAlgo("EC").build());
    }

    @ParameterizedTest
    @ValueSource(strings = {A, B})
    void everyNodeHasItsOwnCertificate(String node) throws Exception {
        var cert = Pem.readCertificate(Files.readString(roster.dataDir().resolve("pki/clients/node-" + node + ".crt")));
        assertThat(Subjects.commonName(cert)).isEqualTo("system:node:" + node);
        assertThat(Subjects.organizations(cert)).containsExactly("system:nodes");
    }

    @Test
    void eachAgentRunsItsPodsUnderItsOwnIdentity() {
        // node restriction lets only roster-node-2 itself report the status of a pod bound to it
        await().atMost(WAIT).untilAsserted(() -> {
            for (String pod : List.of("web", "far")) {
                assertThat(admin.pods().inNamespace("default").withName(pod).get().getStatus().getPhase()).as(pod).isEqualTo("Running");
            }
            for (String node : List.of(A, B)) {
                Node n = admin.nodes().withName(node).get();
                assertThat(n.getStatus().getConditions()).anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Ready");
                    assertThat(c.getStatus()).isEqualTo("True");
                });
            }
        });
    }

    @Test
    void readsTheSecretItsPodUses() {
        assertThat(nodeA.secrets().inNamespace("default").withName("used").get().getData()).containsKey("k");
    }

    @Test
    void anotherSecretIsForbidden() {
        assertForbidden(() -> nodeA.secrets().inNamespace("default").withName("unused").get(),
                "secrets \"unused\" is forbidden: User \"system:node:roster-node-1\" cannot get resource \"secrets\" in API group \"\""
                        + " in the namespace \"default\": no relationship found between node 'roster-node-1' and this object");
    }

    @Test
    void theStatusOfAPodOnAnotherNodeIsForbidden() {
        assertForbidden(() -> nodeA.pods().inNamespace("default").withName("far").editStatus(p -> {
            p.getStatus().setMessage("mine now");
            return p;
        }), "pods \"far\" is forbidden: node \"roster-node-1\" can only update pod status for pods with spec.nodeName set to itself");
    }

    @Test
    void patchingAnotherNodeIsForbidden() {
        assertForbidden(() -> nodeA.nodes().withName(B).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"stolen\":\"yes\"}}}"),
                "nodes \"roster-node-2\" is forbidden: node \"roster-node-1\" is not allowed to modify node \"roster-node-2\"");
    }

    @Test
    void renewsItsOwnLeaseButNotAnother() {
        String now = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
        String patch = "{\"spec\":{\"renewTime\":\"" + now + "\"}}";
        Lease renewed = nodeA.leases().inNamespace("kube-node-lease").withName(A).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        assertThat(renewed.getSpec().getHolderIdentity()).isEqualTo(A);
        // fabric8 reads the Lease before it patches: the read is what is refused
        assertForbidden(() -> nodeA.leases().inNamespace("kube-node-lease").withName(B).patch(PatchContext.of(PatchType.JSON_MERGE), patch),
                "leases.coordination.k8s.io \"roster-node-2\" is forbidden: User \"system:node:roster-node-1\" cannot get resource"
                        + " \"leases\" in API group \"coordination.k8s.io\" in the namespace \"kube-node-lease\": can only access node lease"
                        + " with the same name as the requesting node");
    }

    private static void assertForbidden(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getStatus().getMessage()).isEqualTo(message);
        });
    }
}
