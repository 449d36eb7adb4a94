package dev.roster.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UnknownFieldSet;
import dev.roster.api.ResourceRegistry;
import dev.roster.apiserver.TestServer;
import dev.roster.apiserver.TestServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The OpenAPI documents as kubectl reads them: v3 index and group-versions, v2 JSON and protobuf. */
class OpenApiTest {
    @RegisterExtension
    static final TestServer api = new TestServer();


    private static JsonNode v3(String gvPath) {
        String url = api.get("/openapi/v3").json().path("paths").path(gvPath).path("serverRelativeURL").asString();
        Reply r = api.get(url);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.headers("Cache-Control")).containsExactly("public, immutable");
        return r.json();
    }

    @Test
    void indexListsEveryGroupVersion() {
        JsonNode paths = api.get("/openapi/v3").json().path("paths");
        List<String> names = new ArrayList<>();
        paths.propertyNames().forEach(names::add);
        assertThat(names).containsExactly("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1",
                "apis/discovery.k8s.io/v1", "apis/events.k8s.io/v1", "apis/rbac.authorization.k8s.io/v1",
                "apis/authorization.k8s.io/v1", "apis/authentication.k8s.io/v1", "apis/authentication.k8s.io/v1beta1");
    }

    @Test
    void staleHashRedirectsToTheCurrentDocument() {
        Reply r = api.get("/openapi/v3/api/v1?hash=0123");
        assertThat(r.code()).isEqualTo(301);
        assertThat(r.headers("Location").get(0)).startsWith("/openapi/v3/api/v1?hash=");
        assertThat(api.get("/openapi/v3/api/v1").headers("Cache-Control")).containsExactly("no-cache, private");
    }

    @Test
    void coreDocumentHasUpstreamShapedSchemas() {
        JsonNode schemas = v3("api/v1").path("components").path("schemas");
        JsonNode service = schemas.path("io.k8s.api.core.v1.Service");
        assertThat(service.path("x-kubernetes-group-version-kind").get(0).toString())
                .isEqualTo("{\"group\":\"\",\"kind\":\"Service\",\"version\":\"v1\"}");
        assertThat(service.path("properties").path("spec").path("$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.api.core.v1.ServiceSpec");
        JsonNode spec = schemas.path("io.k8s.api.core.v1.ServiceSpec").path("properties");
        assertThat(spec.path("sessionAffinity").path("enum").toString()).isEqualTo("[\"ClientIP\",\"None\"]");
        assertThat(spec.path("ports").path("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"port\",\"protocol\"]");
        assertThat(spec.path("ports").path("x-kubernetes-patch-merge-key").asString()).isEqualTo("port");
        assertThat(spec.path("ports").path("x-kubernetes-patch-strategy").asString()).isEqualTo("merge");
        assertThat(spec.path("selector").path("x-kubernetes-map-type").asString()).isEqualTo("atomic");
        assertThat(schemas.path("io.k8s.apimachinery.pkg.util.intstr.IntOrString").toString())
                .contains("\"format\":\"int-or-string\"", "\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]");
        assertThat(schemas.path("io.k8s.apimachinery.pkg.apis.meta.v1.Time").path("format").asString()).isEqualTo("date-time");
        assertThat(schemas.path("io.k8s.api.core.v1.Container").path("required").toString()).isEqualTo("[\"name\"]");
        assertThat(schemas.path("io.k8s.api.core.v1.Secret").path("properties").path("data")
                .path("additionalProperties").path("format").asString()).isEqualTo("byte");
    }

    @Test
    void everyReferenceResolvesInsideItsDocument() {
        for (String gv : List.of("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1", "apis/discovery.k8s.io/v1",
                "apis/events.k8s.io/v1")) {
            JsonNode doc = v3(gv);
            List<String> refs = new ArrayList<>();
            collectRefs(doc, refs);
            for (String ref : refs) {
                String name = ref.substring("#/components/schemas/".length());
                assertThat(doc.path("components").path("schemas").has(name)).as("%s in %s", ref, gv).isTrue();
            }
        }
    }

    @Test
    void appsDocumentPublishesPatchStrategiesAndScale() {
        JsonNode doc = v3("apis/apps/v1");
        JsonNode schemas = doc.path("components").path("schemas");
        assertThat(schemas.path("io.k8s.api.apps.v1.DeploymentSpec").path("properties").path("strategy")
                .path("x-kubernetes-patch-strategy").asString()).isEqualTo("retainKeys");
        assertThat(schemas.path("io.k8s.api.core.v1.PodSpec").path("properties").path("volumes")
                .path("x-kubernetes-patch-strategy").asString()).isEqualTo("merge,retainKeys");
        assertThat(schemas.path("io.k8s.api.autoscaling.v1.Scale").path("x-kubernetes-group-version-kind").get(0)
                .path("group").asString()).isEqualTo("autoscaling");
        JsonNode scalePatch = doc.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale").path("patch");
        assertThat(scalePatch.path("x-kubernetes-group-version-kind").path("kind").asString()).isEqualTo("Scale");
        assertThat(schemas.path("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions").path("x-kubernetes-group-version-kind"))
                .hasSize(7);
    }

    @Test
    void v2JsonHasEveryKindAndPathLevelFieldValidation() {
        JsonNode doc = api.get("/openapi/v2").json();
        assertThat(doc.path("swagger").asString()).isEqualTo("2.0");
        JsonNode defs = doc.path("definitions");
        for (var t : ResourceRegistry.builtin().all()) {
            if (t.isReview()) continue; // create-only answers without a stored kind
            assertThat(defs.has(OpenApiPaths.componentOf(t, t.kind()))).as(t.kind()).isTrue();
        }
        assertThat(defs.path("io.k8s.api.core.v1.ServicePort").path("properties").path("targetPort").path("$ref").asString())
                .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(defs.path("io.k8s.apimachinery.pkg.util.intstr.IntOrString").toString())
                .contains("\"format\":\"int-or-string\"", "\"type\":\"string\"");
        JsonNode svc = doc.path("paths").path("/api/v1/namespaces/{namespace}/services/{name}");
        List<String> params = new ArrayList<>();
        svc.path("parameters").forEach(p -> params.add(p.path("name").asString()));
        assertThat(params).contains("fieldValidation");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/openapi/v2", "/swagger-2.0.0.pb-v1"})
    void v2ProtobufIsAGnosticDocument(String path) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.url() + path))
                .header("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith(OpenApi.V2_PROTOBUF);
        UnknownFieldSet doc = UnknownFieldSet.parseFrom(r.body());
        assertThat(doc.getField(1).getLengthDelimitedList().get(0).toString(StandardCharsets.UTF_8)).isEqualTo("2.0");
        UnknownFieldSet definitions = UnknownFieldSet.parseFrom(doc.getField(9).getLengthDelimitedList().get(0));
        List<String> names = new ArrayList<>();
        for (var named : definitions.getField(1).getLengthDelimitedList()) {
            names.add(UnknownFieldSet.parseFrom(named).getField(1).getLengthDelimitedList().get(0).toString(StandardCharsets.UTF_8));
        }
        assertThat(names).contains("io.k8s.api.core.v1.Pod", "io.k8s.api.apps.v1.Deployment",
                "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    }

    private static void collectRefs(JsonNode n, List<String> out) {
        if (n.isObject()) {
            if (n.has("$ref")) out.add(n.get("$ref").asString());
            n.values().forEach(v -> collectRefs(v, out));
        } else if (n.isArray()) {
            n.forEach(v -> collectRefs(v, out));
        }
    }
}
