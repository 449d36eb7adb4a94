package dev.roster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.apiserver.TestServer.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Discovery in both forms, /version, health, OpenAPI index and server-side Tables. */
class DiscoveryAndTablesTest {
    @RegisterExtension
    static final TestServer api = new TestServer();
    static final String AGG_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    static final String AGG_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    @Test
    void versionReportsAMinorKubectl133Accepts() {
        Reply v = api.get("/version");
        assertThat(v.text("major")).isEqualTo("1");
        assertThat(v.text("minor")).isEqualTo("33");
        assertThat(v.text("gitVersion")).startsWith("v1.33.");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/healthz", "/livez", "/readyz", "/readyz/etcd"})
    void healthEndpointsAnswerOk(String path) {
        Reply r = api.get(path);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
    }

    @Test
    void legacyDiscovery() {
        assertThat(api.get("/api").json().path("versions").get(0).asString()).isEqualTo("v1");
        JsonNode groups = api.get("/apis").json().path("groups");
        List<String> names = new ArrayList<>();
        groups.forEach(g -> names.add(g.path("name").asString()));
        assertThat(names).containsExactly("apps", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
                "rbac.authorization.k8s.io", "authorization.k8s.io", "authentication.k8s.io");
        JsonNode apps = api.get("/apis/apps/v1").json();
        JsonNode deploy = find(apps.path("resources"), "deployments");
        assertThat(deploy.path("shortNames").get(0).asString()).isEqualTo("deploy");
        assertThat(deploy.path("categories").get(0).asString()).isEqualTo("all");
        JsonNode scale = find(apps.path("resources"), "deployments/scale");
        assertThat(scale.path("group").asString()).isEqualTo("autoscaling");
        assertThat(scale.path("kind").asString()).isEqualTo("Scale");
        assertThat(api.get("/apis/nosuch/v1").code()).isEqualTo(404);
    }

    static Stream<Arguments> aggregated() {
        return Stream.of(Arguments.of(AGG_V2 + ",application/json", AGG_V2, "apidiscovery.k8s.io/v2"),
                Arguments.of(AGG_V2BETA1 + ",application/json", AGG_V2BETA1, "apidiscovery.k8s.io/v2beta1"));
    }

    @ParameterizedTest
    @MethodSource("aggregated")
    void aggregatedDiscoveryAnswersInTheVersionAskedFor(String accept, String contentType, String apiVersion) {
        Reply core = api.send("GET", "/api", null, null, accept);
        assertThat(core.contentType()).isEqualTo(contentType);
        assertThat(core.text("apiVersion")).isEqualTo(apiVersion);
        JsonNode item = core.json().path("items").get(0);
        assertThat(item.path("metadata").path("name").asString()).isEmpty();
        JsonNode pods = findResource(item.path("versions").get(0).path("resources"), "pods");
        assertThat(pods.path("scope").asString()).isEqualTo("Namespaced");
        assertThat(pods.path("shortNames").get(0).asString()).isEqualTo("po");
        Reply named = api.send("GET", "/apis", null, null, accept);
        assertThat(named.json().path("items")).hasSize(7);
    }

    @Test
    void openApiIndexPointsAtServedDocuments() {
        JsonNode paths = api.get("/openapi/v3").json().path("paths");
        String url = paths.path("apis/apps/v1").path("serverRelativeURL").asString();
        assertThat(url).startsWith("/openapi/v3/apis/apps/v1?hash=");
        JsonNode doc = api.get(url).json();
        JsonNode patch = doc.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").path("patch");
        assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asString()).isEqualTo("Deployment");
        List<String> params = new ArrayList<>();
        patch.path("parameters").forEach(p -> params.add(p.path("name").asString()));
        assertThat(params).contains("fieldValidation");
    }

    @Test
    void tablesForListsAndSingleObjects() {
        api.post("/api/v1/namespaces/default/services",
                "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80}]}}");
        Reply t = api.send("GET", "/api/v1/namespaces/default/services", null, null, TestServer.TABLE_ACCEPT);
        assertThat(t.text("kind")).isEqualTo("Table");
        List<String> cols = new ArrayList<>();
        t.json().path("columnDefinitions").forEach(c -> cols.add(c.path("name").asString()));
        assertThat(cols).containsExactly("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector");
        JsonNode web = null;
        for (JsonNode row : t.json().path("rows")) if (row.path("cells").get(0).asString().equals("web")) web = row;
        assertThat(web).isNotNull();
        assertThat(web.path("cells").get(1).asString()).isEqualTo("ClusterIP");
        assertThat(web.path("cells").get(2).asString()).startsWith("127.96.");
        assertThat(web.path("cells").get(4).asString()).isEqualTo("80/TCP");
        assertThat(web.path("object").path("kind").asString()).isEqualTo("PartialObjectMetadata");
        assertThat(web.path("object").path("metadata").path("namespace").asString()).isEqualTo("default");
        Reply one = api.send("GET", "/api/v1/namespaces/default/services/web", null, null, TestServer.TABLE_ACCEPT);
        assertThat(one.json().path("rows")).hasSize(1);
    }

    @Test
    void defaultNamespacesAndTheKubernetesServiceExist() {
        List<String> ns = new ArrayList<>();
        api.get("/api/v1/namespaces").json().path("items").forEach(n -> ns.add(n.path("metadata").path("name").asString()));
        assertThat(ns).containsExactlyInAnyOrder("default", "kube-system", "kube-public", "kube-node-lease");
        Reply k = api.get("/api/v1/namespaces/default/services/kubernetes");
        assertThat(k.text("spec", "clusterIP")).isEqualTo("127.96.0.1");
        assertThat(api.get("/api/v1/namespaces/default/endpoints/kubernetes").json()
                .path("subsets").get(0).path("addresses").get(0).path("ip").asString()).isEqualTo("127.0.0.1");
    }

    private static JsonNode find(JsonNode resources, String name) {
        for (JsonNode r : resources) if (r.path("name").asString().equals(name)) return r;
        throw new AssertionError("no resource " + name);
    }

    private static JsonNode findResource(JsonNode resources, String name) {
        for (JsonNode r : resources) if (r.path("resource").asString().equals(name)) return r;
        throw new AssertionError("no resource " + name);
    }
}
