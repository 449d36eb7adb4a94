package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Process-runtime node agents with their own identities: the second node's agent reads the Secret its pod's
 * environment names (the Node authorizer lets it, since the pod is bound to it) and starts the process with it.
 */
class NodeIdentityProcessTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess("--nodes", "2", "--proxy-mode", "none");
    static KubernetesClient admin;

    @BeforeAll
    static void setUp() {
        admin = Fabric8CrudTest.client(roster);
    }

    @AfterAll
    static void tearDown() {
        if (admin != null) admin.close();
    }

    @Test
    void theSecondNodeStartsAPodWithTheSecretItsEnvironmentNames() {
        admin.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("greeting").endMetadata()
                .withStringData(Map.of("word", "hello-from-node-2")).build()).create();
        admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("env-reader").endMetadata()
                .withNewSpec().withNodeName("roster-node-2").addNewContainer().withName("c").withImage("busybox")
                .withCommand("sh", "-c", "echo word=$WORD; sleep 600")
                .addNewEnv().withName("WORD").withNewValueFrom().withNewSecretKeyRef("word", "greeting", false).endValueFrom().endEnv()
                .endContainer().endSpec().build()).create();
        // the log is refused (400) while the container is still being created: wait through that too
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(admin.pods().inNamespace("default").withName("env-reader").getLog()).contains("word=hello-from-node-2"));
    }
}
