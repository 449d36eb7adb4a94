package dev.roster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import dev.roster.apiserver.TestServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** managedFields and server-side apply over HTTP against a real in-process API server. */
class ServerSideApplyTest {
    @RegisterExtension
    static final TestServer api = new TestServer();
    static final String CMS = "/api/v1/namespaces/default/configmaps";
    static final String APPLY = "application/apply-patch+yaml";

    static String cm(String name, String data) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n" + data;
    }

    static JsonNode entries(Reply r) {
        return r.json().path("metadata").path("managedFields");
    }

    @Test
    void createRecordsAnUpdateEntryForTheFieldManager() {
        Reply r = api.post(CMS + "?fieldManager=kubectl-create",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"mf1\",\"labels\":{\"app\":\"x\"}},\"data\":{\"k\":\"v\"}}");
        assertThat(r.code()).isEqualTo(201);
        JsonNode e = entries(r).get(0);
        assertThat(e.path("manager").asString()).isEqualTo("kubectl-create");
        assertThat(e.path("operation").asString()).isEqualTo("Update");
        assertThat(e.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(e.path("fieldsType").asString()).isEqualTo("FieldsV1");
        assertThat(e.path("time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(Json.text(e.path("fieldsV1"))).isEqualTo(
                "{\"f:data\":{\".\":{},\"f:k\":{}},\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}}}");
    }

    @Test
    void namespaceCreateOwnsItsDefaultedLabelButNotTheControllerFinalizer() {
        Reply r = api.post("/api/v1/namespaces?fieldManager=kubectl-create", "{\"metadata\":{\"name\":\"mf-ns\"}}");
        assertThat(r.code()).isEqualTo(201);
        assertThat(Json.text(entries(r).get(0).path("fieldsV1")))
                .isEqualTo("{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:kubernetes.io/metadata.name\":{}}}}");
        assertThat(r.json().path("spec").path("finalizers").get(0).asString()).isEqualTo("kubernetes");
    }

    @Test
    void withoutFieldManagerTheUserAgentPrefixNamesTheManager() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(api.url() + CMS))
                .header("Content-Type", "application/json").header("User-Agent", "kubectl.1.33/v1.33.0 (linux/amd64) kubernetes/abc")
                .POST(HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"name\":\"ua\"},\"data\":{\"a\":\"b\"}}")).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(Json.parse(r.body()).path("metadata").path("managedFields").get(0).path("manager").asString())
                .isEqualTo("kubectl.1.33");
    }

    @Test
    void statusWritesAreRecordedUnderTheStatusSubresource() {
        api.post("/apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-create",
                "{\"metadata\":{\"name\":\"st\"},\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},"
                        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}");
        Reply r = api.patch("/apis/apps/v1/namespaces/default/deployments/st/status?fieldManager=kube-controller-manager",
                "application/merge-patch+json", "{\"status\":{\"replicas\":3}}");
        assertThat(r.code()).isEqualTo(200);
        JsonNode e = entries(r).get(0);
        assertThat(e.path("manager").asString()).isEqualTo("kube-controller-manager");
        assertThat(e.path("subresource").asString()).isEqualTo("status");
        assertThat(Json.text(e.path("fieldsV1"))).isEqualTo("{\"f:status\":{\"f:replicas\":{}}}");
        // scale writes get their own entry too
        Reply s = api.patch("/apis/apps/v1/namespaces/default/deployments/st/scale?fieldManager=kubectl", "application/merge-patch+json",
                "{\"spec\":{\"replicas\":4}}");
        assertThat(s.code()).isEqualTo(200);
        JsonNode all = entries(api.get("/apis/apps/v1/namespaces/default/deployments/st"));
        assertThat(all.toString()).contains("\"manager\":\"kubectl\",\"operation\":\"Update\"", "\"subresource\":\"scale\"");
    }

    @Test
    void applyCreatesThenMergesAndANoOpApplyDoesNotWrite() {
        Reply created = api.patch(CMS + "/ap1?fieldManager=alice", APPLY, cm("ap1", "  a: \"1\"\n"));
        assertThat(created.code()).isEqualTo(201);
        assertThat(entries(created).get(0).path("operation").asString()).isEqualTo("Apply");
        Reply again = api.patch(CMS + "/ap1?fieldManager=alice", APPLY, cm("ap1", "  a: \"1\"\n"));
        assertThat(again.code()).isEqualTo(200);
        assertThat(again.text("metadata", "resourceVersion")).isEqualTo(created.text("metadata", "resourceVersion"));
        Reply more = api.patch(CMS + "/ap1?fieldManager=alice", APPLY, cm("ap1", "  b: \"2\"\n"));
        assertThat(more.json().path("data")).isEqualTo(Json.parse("{\"b\":\"2\"}"));
    }

    @Test
    void conflictIsUpstreamsStatusAndForceTakesOver() {
        api.patch(CMS + "/ap2?fieldManager=alice", APPLY, cm("ap2", "  a: \"1\"\n"));
        Reply c = api.patch(CMS + "/ap2?fieldManager=bob", APPLY, cm("ap2", "  a: \"2\"\n"));
        assertThat(c.code()).isEqualTo(409);
        assertThat(c.text("reason")).isEqualTo("Conflict");
        assertThat(c.text("message")).isEqualTo("Apply failed with 1 conflict: conflict with \"alice\": .data.a");
        assertThat(c.json().path("details").path("causes")).isEqualTo(Json.parse(
                "[{\"reason\":\"FieldManagerConflict\",\"message\":\"conflict with \\\"alice\\\"\",\"field\":\".data.a\"}]"));
        Reply f = api.patch(CMS + "/ap2?fieldManager=bob&force=true", APPLY, cm("ap2", "  a: \"2\"\n"));
        assertThat(f.code()).isEqualTo(200);
        assertThat(f.text("data", "a")).isEqualTo("2");
        assertThat(entries(f)).hasSize(1);
        assertThat(entries(f).get(0).path("manager").asString()).isEqualTo("bob");
    }

    @Test
    void badApplyRequestsGetUpstreamsErrors() {
        Reply noManager = api.patch(CMS + "/ap3", APPLY, cm("ap3", "  a: \"1\"\n"));
        assertThat(noManager.code()).isEqualTo(422);
        assertThat(noManager.text("message")).isEqualTo(
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        Reply cbor = api.patch(CMS + "/ap3?fieldManager=m", "application/apply-patch+cbor", "x");
        assertThat(cbor.code()).isEqualTo(415);
        Reply version = api.patch(CMS + "/ap3?fieldManager=m", APPLY, "apiVersion: v2\nkind: ConfigMap\nmetadata:\n  name: ap3\n");
        assertThat(version.code()).isEqualTo(400);
        assertThat(version.text("message")).isEqualTo("Incorrect version specified in apply patch. Specified patch version: v2, expected: v1");
        Reply forceOnMerge = api.patch(CMS + "/ap3?force=true", "application/merge-patch+json", "{}");
        assertThat(forceOnMerge.code()).isEqualTo(422);
        assertThat(forceOnMerge.text("message")).endsWith("force: Forbidden: may not be specified for non-apply patch");
    }

    @Test
    void managedFieldsSentInAnUpdateAreTakenAndAnEmptyListResetsThem() {
        Reply c = api.post(CMS + "?fieldManager=kubectl-client-side-apply", "{\"metadata\":{\"name\":\"mf2\"},\"data\":{\"a\":\"1\"}}");
        String rewritten = "[{\"op\":\"replace\",\"path\":\"/metadata/managedFields\",\"value\":[{\"manager\":\"kubectl\",\"operation\":\"Apply\","
                + "\"apiVersion\":\"v1\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\"f:a\":{}}}}]}]";
        Reply p = api.patch(CMS + "/mf2", "application/json-patch+json", rewritten);
        assertThat(p.code()).isEqualTo(200);
        assertThat(entries(p)).hasSize(1);
        assertThat(entries(p).get(0).path("manager").asString()).isEqualTo("kubectl");
        Reply reset = api.patch(CMS + "/mf2", "application/merge-patch+json", "{\"metadata\":{\"managedFields\":[{}]}}");
        assertThat(reset.json().path("metadata").has("managedFields")).isFalse();
        assertThat(c.code()).isEqualTo(201);
    }

    @Test
    void dryRunRunsEveryWriteWithoutPersistingIt() {
        Reply create = api.post(CMS + "?dryRun=All&fieldManager=m", "{\"metadata\":{\"name\":\"dry\"},\"data\":{\"a\":\"1\"}}");
        assertThat(create.code()).isEqualTo(201);
        assertThat(create.text("metadata", "uid")).isNotEmpty();
        assertThat(entries(create)).hasSize(1);
        assertThat(api.get(CMS + "/dry").code()).isEqualTo(404);
        Reply applyCreate = api.patch(CMS + "/dry?dryRun=All&fieldManager=m", APPLY, cm("dry", "  a: \"1\"\n"));
        assertThat(applyCreate.code()).isEqualTo(201);
        assertThat(api.get(CMS + "/dry").code()).isEqualTo(404);
        Reply invalid = api.post(CMS + "?dryRun=All", "{\"metadata\":{\"name\":\"Bad_Name\"}}");
        assertThat(invalid.code()).isEqualTo(422);

        api.post(CMS, "{\"metadata\":{\"name\":\"wet\"},\"data\":{\"a\":\"1\"}}");
        assertThat(api.put(CMS + "/wet?dryRun=All", "{\"metadata\":{\"name\":\"wet\"},\"data\":{\"a\":\"2\"}}").text("data", "a")).isEqualTo("2");
        assertThat(api.patch(CMS + "/wet?dryRun=All", "application/merge-patch+json", "{\"data\":{\"a\":\"3\"}}").text("data", "a")).isEqualTo("3");
        assertThat(api.patch(CMS + "/wet?dryRun=All&fieldManager=m&force=true", APPLY, cm("wet", "  a: \"4\"\n")).text("data", "a")).isEqualTo("4");
        assertThat(api.delete(CMS + "/wet?dryRun=All").code()).isEqualTo(200);
        Reply after = api.get(CMS + "/wet");
        assertThat(after.code()).isEqualTo(200);
        assertThat(after.text("data", "a")).isEqualTo("1");
    }
}
