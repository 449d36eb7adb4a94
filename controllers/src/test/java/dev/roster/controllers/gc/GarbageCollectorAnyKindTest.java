package dev.roster.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.testing.WithControllers;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Owners and dependents of kinds no roster controller owns (ConfigMaps, Secrets, Leases, Roles...): the collector
 * follows every resource discovery serves, with each propagation policy, through the controller manager and a real
 * API server.
 */
class GarbageCollectorAnyKindTest extends WithControllers {
    static final String NS = "gc-any";
    static final Duration WAIT = Duration.ofSeconds(20);

    GarbageCollectorAnyKindTest() {
        super(NS);
    }

    /** Kinds to build owners and dependents from; none of them but Deployment has a roster controller. */
    enum Kind {
        CONFIG_MAP(n -> new ConfigMapBuilder().withNewMetadata().withName(n).endMetadata().addToData("k", "v").build()),
        SECRET(n -> new SecretBuilder().withNewMetadata().withName(n).endMetadata().addToStringData("k", "v").build()),
        LEASE(n -> new LeaseBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec().withHolderIdentity("x").endSpec().build()),
        ROLE(n -> new RoleBuilder().withNewMetadata().withName(n).endMetadata().build()),
        SERVICE_ACCOUNT(n -> new ServiceAccountBuilder().withNewMetadata().withName(n).endMetadata().build()),
        CLUSTER_ROLE(n -> new ClusterRoleBuilder().withNewMetadata().withName(NS + "-" + n).endMetadata().build()),
        DEPLOYMENT(n -> new DeploymentBuilder().withNewMetadata().withName(n).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", n).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", n).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().endTemplate()
                .endSpec().build());

        final Function<String, HasMetadata> build;

        Kind(Function<String, HasMetadata> build) {
            this.build = build;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("ConfigMap owned by a ConfigMap", Kind.CONFIG_MAP, Kind.CONFIG_MAP, DeletionPropagation.BACKGROUND),
                Arguments.of("ConfigMap owned by a ConfigMap", Kind.CONFIG_MAP, Kind.CONFIG_MAP, DeletionPropagation.FOREGROUND),
                Arguments.of("ConfigMap owned by a ConfigMap", Kind.CONFIG_MAP, Kind.CONFIG_MAP, DeletionPropagation.ORPHAN),
                Arguments.of("Secret owned by a Deployment", Kind.DEPLOYMENT, Kind.SECRET, DeletionPropagation.BACKGROUND),
                Arguments.of("Secret owned by a Deployment", Kind.DEPLOYMENT, Kind.SECRET, DeletionPropagation.FOREGROUND),
                Arguments.of("Role owned by a Lease", Kind.LEASE, Kind.ROLE, DeletionPropagation.ORPHAN),
                Arguments.of("Lease owned by a Secret", Kind.SECRET, Kind.LEASE, DeletionPropagation.FOREGROUND),
                Arguments.of("Secret owned by a ServiceAccount", Kind.SERVICE_ACCOUNT, Kind.SECRET, DeletionPropagation.BACKGROUND),
                Arguments.of("ConfigMap owned by a cluster-scoped ClusterRole", Kind.CLUSTER_ROLE, Kind.CONFIG_MAP, DeletionPropagation.BACKGROUND),
                Arguments.of("ConfigMap owned by a cluster-scoped ClusterRole", Kind.CLUSTER_ROLE, Kind.CONFIG_MAP, DeletionPropagation.ORPHAN));
    }

    private Resource<HasMetadata> api(HasMetadata o) {
        return o instanceof Namespaced ? world.client.resource(o).inNamespace(NS) : world.client.resource(o);
    }

    private HasMetadata create(Kind kind, String name, OwnerReference... owners) {
        HasMetadata o = kind.build.apply(name);
        if (o instanceof Namespaced) o.getMetadata().setNamespace(NS);
        o.getMetadata().setOwnerReferences(List.of(owners));
        return api(o).create();
    }

    private static OwnerReference ref(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withBlockOwnerDeletion(true).build();
    }

    @ParameterizedTest(name = "{0}, {3}")
    @MethodSource("cases")
    void deletingTheOwner(String name, Kind ownerKind, Kind dependentKind, DeletionPropagation policy) {
        HasMetadata owner = create(ownerKind, "owner");
        HasMetadata dependent = create(dependentKind, "dependent", ref(owner));

        api(owner).withPropagationPolicy(policy).delete();

        await().atMost(WAIT).until(() -> api(owner).get() == null);
        HasMetadata left = api(dependent).get();
        switch (policy) {
            // the orphan finalizer comes off only once the dependent no longer names the owner
            case ORPHAN -> assertThat(left).isNotNull().satisfies(d -> assertThat(d.getMetadata().getOwnerReferences()).isEmpty());
            // the owner's foregroundDeletion finalizer comes off only once its blocking dependent is gone
            case FOREGROUND -> assertThat(left).isNull();
            default -> await().atMost(WAIT).until(() -> api(dependent).get() == null);
        }
    }

    @Test
    void aDependentWithAnotherLiveOwnerStays() {
        HasMetadata gone = create(Kind.CONFIG_MAP, "owner-gone");
        HasMetadata kept = create(Kind.SECRET, "owner-kept");
        HasMetadata dependent = create(Kind.CONFIG_MAP, "dependent", ref(gone), ref(kept));
        HasMetadata control = create(Kind.CONFIG_MAP, "control", ref(gone));

        api(gone).delete();

        // the control dependent, owned by the deleted owner alone, shows the collector has looked at both
        await().atMost(WAIT).until(() -> api(control).get() == null);
        assertThat(api(dependent).get()).isNotNull();
    }

    @Test
    void anOwnerReferenceAddedLaterToAGoneOwnerIsCollected() {
        HasMetadata owner = create(Kind.SECRET, "owner");
        api(owner).delete();
        await().atMost(WAIT).until(() -> api(owner).get() == null);
        HasMetadata dependent = create(Kind.LEASE, "dependent");

        // only an update of its owners brings the collector back to an object it has seen
        api(dependent).edit(d -> {
            d.getMetadata().setOwnerReferences(List.of(ref(owner)));
            return d;
        });

        await().atMost(WAIT).until(() -> api(dependent).get() == null);
    }
}
