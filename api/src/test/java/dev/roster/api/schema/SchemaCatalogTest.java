package dev.roster.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaCatalogTest {
    private static final SchemaCatalog CATALOG = SchemaCatalog.builtin();

    @Test
    void everyServedResourceHasANamedSchemaWithItsKind() {
        for (ResourceType t : ResourceRegistry.builtin().all()) {
            if (t.isReview()) continue; // create-only answers, no stored kind
            Schema s = CATALOG.kind(t);
            assertThat(s).as(t.resource()).isNotNull();
            assertThat(s.gvks()).contains(new Schema.Gvk(t.group(), t.version(), t.kind()));
            assertThat(s.properties()).containsKeys("apiVersion", "kind", "metadata");
            assertThat(CATALOG.kind(t.group(), t.version(), t.listKind()).property("items").schema().items()).isSameAs(s);
        }
    }

    @Test
    void everyRuleMatchesAField() {
        CATALOG.buildAll();
        assertThat(CATALOG.unusedRules()).isEmpty();
    }

    @ParameterizedTest(name = "{0}.{1}")
    @CsvSource(delimiter = '|', value = {
        "io.k8s.api.core.v1.Pod|metadata|io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "io.k8s.api.core.v1.ServicePort|targetPort|io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        "io.k8s.api.core.v1.ServicePort|port|INTEGER int32",
        "io.k8s.api.core.v1.PodSpec|activeDeadlineSeconds|INTEGER int64",
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta|creationTimestamp|io.k8s.apimachinery.pkg.apis.meta.v1.Time",
        "io.k8s.api.coordination.v1.LeaseSpec|renewTime|io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
        "io.k8s.api.events.v1.Event|eventTime|io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
        "io.k8s.api.core.v1.ResourceRequirements|limits|MAP{io.k8s.apimachinery.pkg.api.resource.Quantity}",
        "io.k8s.api.apps.v1.DeploymentSpec|template|io.k8s.api.core.v1.PodTemplateSpec",
        "io.k8s.api.core.v1.Secret|data|MAP{STRING byte}",
        "io.k8s.api.core.v1.ServiceSpec|clusterIPs|ARRAY[STRING]",
    })
    void fieldTypes(String component, String field, String expected) {
        CATALOG.buildAll();
        Schema s = CATALOG.component(component).property(field).schema();
        assertThat(describe(s)).isEqualTo(expected);
    }

    @Test
    void extensionsComeFromTheRules() {
        CATALOG.buildAll();
        Property ports = CATALOG.component("io.k8s.api.core.v1.ServiceSpec").property("ports");
        assertThat(ports.listType()).isEqualTo("map");
        assertThat(ports.listMapKeys()).containsExactly("port", "protocol");
        assertThat(ports.patchStrategy()).isEqualTo("merge");
        assertThat(ports.patchMergeKey()).isEqualTo("port");
        assertThat(CATALOG.component("io.k8s.api.core.v1.ServiceSpec").property("sessionAffinity").enumValues())
                .containsExactly("ClientIP", "None");
        assertThat(CATALOG.component("io.k8s.api.core.v1.Container").required()).containsExactly("name");
        assertThat(CATALOG.component("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector").mapType()).isEqualTo("atomic");
    }

    private static String describe(Schema s) {
        if (s.isNamed()) return s.name();
        return switch (s.type()) {
            case ARRAY -> "ARRAY[" + describe(s.items()) + "]";
            case MAP -> "MAP{" + describe(s.values()) + "}";
            default -> s.type() + (s.format() == null ? "" : " " + s.format());
        };
    }
}
