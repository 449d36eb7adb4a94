package dev.roster.controllers.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.ControllerManager;
import dev.roster.controllers.testing.ApiWorld;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The serviceaccounts controller and the root CA publisher through the controller manager and a real API server:
 * every namespace gets a default ServiceAccount and kube-root-ca.crt, and both come back when removed or changed.
 */
class ServiceAccountControllersTest {
    static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    ApiWorld world;
    ControllerManager manager;

    @BeforeEach
    void start() {
        world = new ApiWorld();
        manager = new ControllerManager(ControllerManager.Options.defaults().withRootCa(CA)).start(world.client);
    }

    @AfterEach
    void stop() {
        manager.close();
        world.close();
    }

    @Test
    void everyNamespaceGetsADefaultServiceAccountBackWhenDeleted() {
        world.namespace("team");
        var sas = world.client.serviceAccounts();
        await().atMost(Duration.ofSeconds(10)).until(() -> sas.inNamespace("team").withName("default").get() != null);
        assertThat(sas.inNamespace("kube-system").withName("default").get()).as("namespaces made at start too").isNotNull();
        String uid = sas.inNamespace("team").withName("default").get().getMetadata().getUid();
        sas.inNamespace("team").withName("default").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var sa = sas.inNamespace("team").withName("default").get();
            return sa != null && !sa.getMetadata().getUid().equals(uid);
        });
    }

    @Test
    void everyNamespaceGetsTheRootCaWhichIsPutBackWhenChangedOrDeleted() {
        world.namespace("team");
        var cms = world.client.configMaps().inNamespace("team");
        await().atMost(Duration.ofSeconds(10)).until(() -> cms.withName("kube-root-ca.crt").get() != null);
        ConfigMap cm = cms.withName("kube-root-ca.crt").get();
        assertThat(cm.getData()).isEqualTo(Map.of("ca.crt", CA));
        assertThat(cm.getMetadata().getAnnotations()).containsEntry("kubernetes.io/description", RootCaPublisher.DESCRIPTION);

        cm.setData(Map.of("ca.crt", "tampered"));
        cms.resource(cm).update();
        await().atMost(Duration.ofSeconds(10)).until(() -> Map.of("ca.crt", CA).equals(cms.withName("kube-root-ca.crt").get().getData()));
        cms.withName("kube-root-ca.crt").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            ConfigMap again = cms.withName("kube-root-ca.crt").get();
            return again != null && again.getData().equals(Map.of("ca.crt", CA));
        });
    }
}
