package dev.roster.controllers.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.ControllerManager;
import dev.roster.controllers.testing.ApiWorld;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two controller managers on one API server: one leads and runs the controllers, the other stands by and takes over. */
class LeaderElectionTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    ApiWorld world;
    ControllerManager first;
    ControllerManager second;

    @BeforeEach
    void start() {
        world = new ApiWorld();
    }

    @AfterEach
    void stop() {
        if (first != null) first.close();
        if (second != null) second.close();
        world.close();
    }

    private ControllerManager manager(String id) {
        var election = LeaderElection.Config.controllerManager().withIdentity(id)
                .withTimings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(300));
        return new ControllerManager(ControllerManager.Options.defaults().withLeaderElection(election)).start(world.client);
    }

    private Lease lease() {
        return world.client.leases().inNamespace("kube-system").withName("kube-controller-manager").get();
    }

    /** A selector-less service's Endpoints is never written; a service with a selector gets one only from a leader. */
    private void service(String name) {
        world.client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addToSelector("app", name).addNewPort().withPort(80).endPort().endSpec().build()).create();
    }

    private boolean endpointsExist(String name) {
        return world.client.endpoints().inNamespace("default").withName(name).get() != null;
    }

    @Test
    void aStandbyTakesOverWhenTheLeaderStops() {
        first = manager("host-a_1");
        await().atMost(WAIT).until(first::isLeading);
        second = manager("host-b_2");
        Lease l = lease();
        assertThat(l.getSpec().getHolderIdentity()).isEqualTo("host-a_1");
        assertThat(l.getSpec().getLeaseDurationSeconds()).isEqualTo(3);
        service("one");
        await().atMost(WAIT).until(() -> endpointsExist("one"));
        await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> !second.isLeading());

        first.close();
        first = null;
        await().atMost(WAIT).until(second::isLeading);
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("host-b_2");
        service("two");
        await().atMost(WAIT).until(() -> endpointsExist("two"));
    }

    @Test
    void theDefaultsAreUpstreams() {
        LeaderElection.Config c = LeaderElection.Config.controllerManager();
        assertThat(c.namespace()).isEqualTo("kube-system");
        assertThat(c.name()).isEqualTo("kube-controller-manager");
        assertThat(c.leaseDuration()).hasSeconds(15);
        assertThat(c.renewDeadline()).hasSeconds(10);
        assertThat(c.retryPeriod()).hasSeconds(2);
        assertThat(c.identity()).matches(".+_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }
}
