package dev.roster.api.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The declared strategies of built-in kinds, checked against upstream's struct tags. */
class PatchSchemaTest {

    @ParameterizedTest(name = "{0}/{1} {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "apps|Deployment|spec.template.spec.containers|merge:name",
        "apps|Deployment|spec.template.spec.containers[].ports|merge:containerPort",
        "apps|Deployment|spec.template.spec.containers[].env|merge:name",
        "apps|Deployment|spec.template.spec.containers[].volumeMounts|merge:mountPath",
        "apps|Deployment|spec.template.spec.initContainers[].volumeDevices|merge:devicePath",
        "apps|Deployment|spec.template.spec.volumes|merge,retainKeys:name",
        "apps|Deployment|spec.strategy|retainKeys",
        "apps|Deployment|spec.template.metadata.finalizers|merge",
        "apps|Deployment|status.conditions|merge:type",
        "apps|ReplicaSet|spec.template.spec.imagePullSecrets|merge:name",
        "apps|ReplicaSet|status.conditions|merge:type",
        "|Pod|spec.hostAliases|merge:ip",
        "|Pod|spec.ephemeralContainers|merge:name",
        "|Pod|spec.tolerations|-",
        "|Pod|status.conditions|merge:type",
        "|Pod|status.podIPs|merge:ip",
        "|Pod|metadata.ownerReferences|merge:uid",
        "|Pod|metadata.managedFields|-",
        "|Service|spec.ports|merge:port",
        "|Node|status.addresses|merge:type",
        "|Node|status.conditions|merge:type",
        "|Node|spec.taints|-",
        "|Node|spec.podCIDRs|merge",
        "|Endpoints|subsets|-",
        "|ServiceAccount|secrets|merge:name",
        "discovery.k8s.io|EndpointSlice|endpoints|-",
        "discovery.k8s.io|EndpointSlice|metadata.finalizers|merge",
    })
    void declaresStrategy(String group, String kind, String path, String expected) {
        ResourceType type = ResourceRegistry.builtin().all().stream()
                .filter(t -> t.group().equals(group == null ? "" : group) && t.kind().equals(kind))
                .findFirst().orElseThrow();
        assertThat(PatchSchema.forType(type).describe().get(path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pods", "deployments", "services", "endpointslices", "leases", "events"})
    void everyBuiltinHasMetadata(String resource) {
        ResourceRegistry.builtin().all().stream().filter(t -> t.resource().equals(resource)).forEach(t ->
                assertThat(PatchSchema.forType(t).describe()).containsEntry("metadata.finalizers", "merge"));
    }
}
