package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** fabric8's {@code serverSideApply()} against roster: create, conflict between managers, forced takeover. */
class Fabric8ServerSideApplyTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();
    static final String NS = "f8-ssa";
    static KubernetesClient client;

    @BeforeAll
    static void setUp() {
        client = Fabric8CrudTest.client(roster);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    static void tearDown() {
        if (client != null) client.close();
    }

    static ConfigMap cm(String value) {
        return new ConfigMapBuilder().withNewMetadata().withName("owned").withNamespace(NS).endMetadata()
                .addToData("key", value).build();
    }

    @Test
    void serverSideApplyCreatesConflictsAndForces() {
        ConfigMap created = client.resource(cm("one")).fieldManager("operator-a").serverSideApply();
        assertThat(created.getData()).containsEntry("key", "one");
        ManagedFieldsEntry entry = created.getMetadata().getManagedFields().get(0);
        assertThat(entry.getManager()).isEqualTo("operator-a");
        assertThat(entry.getOperation()).isEqualTo("Apply");
        assertThat(entry.getFieldsV1().getAdditionalProperties()).containsKey("f:data");

        // the same configuration again is a no-op: no new resourceVersion
        ConfigMap again = client.resource(cm("one")).fieldManager("operator-a").serverSideApply();
        assertThat(again.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());

        assertThatThrownBy(() -> client.resource(cm("two")).fieldManager("operator-b").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getMessage())
                            .isEqualTo("Apply failed with 1 conflict: conflict with \"operator-a\": .data.key");
                    assertThat(e.getStatus().getDetails().getCauses().get(0).getReason()).isEqualTo("FieldManagerConflict");
                });

        ConfigMap forced = client.resource(cm("two")).fieldManager("operator-b").forceConflicts().serverSideApply();
        assertThat(forced.getData()).containsEntry("key", "two");
        assertThat(forced.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager).containsExactly("operator-b");
    }
}
