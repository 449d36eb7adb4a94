package dev.roster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.apiserver.TestServer.Reply;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Create, read, update, delete against a real in-process API server: upstream's metadata and error semantics. */
class CrudTest {
    @RegisterExtension
    static final TestServer api = new TestServer();


    static String cm(String name, String value) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"" + value + "\"}}";
    }

    @Test
    void createSetsSystemMetadataAndGetReturnsIt() {
        Reply created = api.post("/api/v1/namespaces/default/configmaps", cm("c1", "v"));
        assertThat(created.code()).isEqualTo(201);
        assertThat(created.text("metadata", "uid")).matches("[0-9a-f-]{36}");
        assertThat(created.text("metadata", "creationTimestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(created.text("metadata", "namespace")).isEqualTo("default");
        String rv = created.text("metadata", "resourceVersion");
        Reply got = api.get("/api/v1/namespaces/default/configmaps/c1");
        assertThat(got.code()).isEqualTo(200);
        assertThat(got.text("metadata", "resourceVersion")).isEqualTo(rv);
        assertThat(got.text("data", "k")).isEqualTo("v");
    }

    @Test
    void generateNameAddsFiveCharacterSuffix() {
        Reply r = api.post("/api/v1/namespaces/default/configmaps",
                "{\"metadata\":{\"generateName\":\"gen-\"},\"data\":{}}");
        assertThat(r.code()).isEqualTo(201);
        assertThat(r.text("metadata", "name")).matches("gen-[bcdfghjklmnpqrstvwxz2456789]{5}");
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("GET", "/api/v1/namespaces/default/configmaps/nope", null, 404, "NotFound",
                        "configmaps \"nope\" not found"),
                Arguments.of("GET", "/apis/apps/v1/namespaces/default/deployments/nope", null, 404, "NotFound",
                        "deployments.apps \"nope\" not found"),
                Arguments.of("POST", "/api/v1/namespaces/missing/configmaps", cm("x", "v"), 404, "NotFound",
                        "namespaces \"missing\" not found"),
                Arguments.of("GET", "/api/v1/namespaces/default/nosuch", null, 404, "NotFound",
                        "the server could not find the requested resource"),
                Arguments.of("POST", "/api/v1/namespaces/default/configmaps", "{not json", 400, "BadRequest", null),
                Arguments.of("POST", "/api/v1/namespaces/other/configmaps",
                        "{\"metadata\":{\"name\":\"x\",\"namespace\":\"default\"}}", 400, "BadRequest",
                        "the namespace of the provided object does not match the namespace sent on the request"),
                Arguments.of("DELETE", "/api/v1/namespaces/default", null, 403, "Forbidden",
                        "namespaces \"default\" is forbidden: this namespace may not be deleted"),
                Arguments.of("POST", "/api/v1/pods", "{}", 405, "MethodNotAllowed",
                        "the server does not allow this method on the requested resource"),
                Arguments.of("POST", "/api/v1/namespaces/default/configmaps",
                        "{\"metadata\":{\"name\":\"Bad_Name\"}}", 422, "Invalid", null));
    }

    @ParameterizedTest(name = "{0} {1} -> {3} {4}")
    @MethodSource("errors")
    void errorsAreStatusObjects(String method, String path, String body, int code, String reason, String message) {
        Reply r = api.send(method, path, body == null ? null : "application/json", body);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.text("kind")).isEqualTo("Status");
        assertThat(r.text("status")).isEqualTo("Failure");
        assertThat(r.text("reason")).isEqualTo(reason);
        assertThat(r.json().path("code").asInt()).isEqualTo(code);
        if (message != null) assertThat(r.text("message")).isEqualTo(message);
    }

    @Test
    void duplicateCreateIsAlreadyExists() {
        api.post("/api/v1/namespaces/default/configmaps", cm("dup", "v"));
        Reply r = api.post("/api/v1/namespaces/default/configmaps", cm("dup", "v"));
        assertThat(r.code()).isEqualTo(409);
        assertThat(r.text("reason")).isEqualTo("AlreadyExists");
        assertThat(r.text("message")).isEqualTo("configmaps \"dup\" already exists");
    }

    @Test
    void staleResourceVersionIsConflictAndUnconditionalUpdateWins() {
        Reply c = api.post("/api/v1/namespaces/default/configmaps", cm("upd", "1"));
        String rv = c.text("metadata", "resourceVersion");
        Reply u1 = api.put("/api/v1/namespaces/default/configmaps/upd",
                "{\"metadata\":{\"name\":\"upd\",\"resourceVersion\":\"" + rv + "\"},\"data\":{\"k\":\"2\"}}");
        assertThat(u1.code()).isEqualTo(200);
        assertThat(Long.parseLong(u1.text("metadata", "resourceVersion"))).isGreaterThan(Long.parseLong(rv));
        assertThat(u1.text("metadata", "uid")).isEqualTo(c.text("metadata", "uid"));
        Reply stale = api.put("/api/v1/namespaces/default/configmaps/upd",
                "{\"metadata\":{\"name\":\"upd\",\"resourceVersion\":\"" + rv + "\"},\"data\":{\"k\":\"3\"}}");
        assertThat(stale.code()).isEqualTo(409);
        assertThat(stale.text("message")).isEqualTo("Operation cannot be fulfilled on configmaps \"upd\": "
                + "the object has been modified; please apply your changes to the latest version and try again");
        Reply blind = api.put("/api/v1/namespaces/default/configmaps/upd", "{\"metadata\":{\"name\":\"upd\"},\"data\":{\"k\":\"4\"}}");
        assertThat(blind.code()).isEqualTo(200);
        assertThat(blind.text("data", "k")).isEqualTo("4");
    }

    @Test
    void concurrentPatchesAreRetriedAndNoneIsLost() throws Exception {
        api.post("/api/v1/namespaces/default/configmaps", cm("race", "v"));
        int writers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        java.util.List<java.util.concurrent.Future<Integer>> codes = new java.util.ArrayList<>();
        for (int i = 0; i < writers * 5; i++) {
            int n = i;
            codes.add(pool.submit(() -> api.patch("/api/v1/namespaces/default/configmaps/race", "application/merge-patch+json",
                    "{\"metadata\":{\"labels\":{\"w" + n + "\":\"x\"}}}").code()));
        }
        for (var c : codes) assertThat(c.get()).isEqualTo(200);
        pool.shutdown();
        assertThat(api.get("/api/v1/namespaces/default/configmaps/race").json().path("metadata").path("labels").size())
                .isEqualTo(writers * 5);
    }

    @Test
    void noOpUpdateKeepsResourceVersion() {
        Reply c = api.post("/api/v1/namespaces/default/configmaps", cm("noop", "1"));
        Reply u = api.put("/api/v1/namespaces/default/configmaps/noop", cm("noop", "1"));
        assertThat(u.text("metadata", "resourceVersion")).isEqualTo(c.text("metadata", "resourceVersion"));
    }

    @Test
    void mergeAndJsonPatch() {
        api.post("/api/v1/namespaces/default/configmaps", cm("p", "1"));
        Reply m = api.patch("/api/v1/namespaces/default/configmaps/p", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"data\":{\"k\":null,\"n\":\"2\"}}");
        assertThat(m.code()).isEqualTo(200);
        assertThat(m.text("metadata", "labels", "a")).isEqualTo("b");
        assertThat(m.json().path("data").has("k")).isFalse();
        Reply j = api.patch("/api/v1/namespaces/default/configmaps/p", "application/json-patch+json",
                "[{\"op\":\"replace\",\"path\":\"/data/n\",\"value\":\"3\"},{\"op\":\"add\",\"path\":\"/data/z\",\"value\":\"4\"}]");
        assertThat(j.code()).isEqualTo(200);
        assertThat(j.text("data", "n")).isEqualTo("3");
        assertThat(j.text("data", "z")).isEqualTo("4");
        Reply bad = api.patch("/api/v1/namespaces/default/configmaps/p", "application/json-patch+json",
                "[{\"op\":\"remove\",\"path\":\"/data/missing\"}]");
        assertThat(bad.code()).isEqualTo(422);
    }

    @Test
    void strategicMergePatchMergesContainersByName() {
        String d = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"smp\"},\"spec\":{"
                + "\"selector\":{\"matchLabels\":{\"app\":\"s\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"s\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"nginx\"},{\"name\":\"b\",\"image\":\"busybox\"}]}}}}";
        assertThat(api.post("/apis/apps/v1/namespaces/default/deployments", d).code()).isEqualTo(201);
        Reply r = api.patch("/apis/apps/v1/namespaces/default/deployments/smp", "application/strategic-merge-patch+json",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"busybox:1.36\"}]}}}}");
        assertThat(r.code()).isEqualTo(200);
        var containers = r.json().path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(2);
        assertThat(containers.get(0).path("image").asString()).isEqualTo("nginx");
        assertThat(containers.get(1).path("image").asString()).isEqualTo("busybox:1.36");
        Reply bad = api.patch("/apis/apps/v1/namespaces/default/deployments/smp", "application/strategic-merge-patch+json",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"x\"}]}}}}");
        assertThat(bad.code()).isEqualTo(400);
        assertThat(bad.text("message")).contains("does not contain declared merge key: name");
    }

    @Test
    void deploymentGenerationCountsSpecChangesOnly() {
        String d = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"gen\"},\"spec\":{"
                + "\"selector\":{\"matchLabels\":{\"app\":\"g\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"g\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}";
        Reply c = api.post("/apis/apps/v1/namespaces/default/deployments", d);
        assertThat(c.code()).isEqualTo(201);
        assertThat(c.json().path("metadata").path("generation").asInt()).isEqualTo(1);
        assertThat(c.json().path("spec").path("replicas").asInt()).isEqualTo(1);
        Reply label = api.patch("/apis/apps/v1/namespaces/default/deployments/gen", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
        assertThat(label.json().path("metadata").path("generation").asInt()).isEqualTo(1);
        Reply scale = api.patch("/apis/apps/v1/namespaces/default/deployments/gen/scale", "application/merge-patch+json",
                "{\"spec\":{\"replicas\":3}}");
        assertThat(scale.code()).isEqualTo(200);
        assertThat(scale.text("kind")).isEqualTo("Scale");
        assertThat(scale.text("apiVersion")).isEqualTo("autoscaling/v1");
        assertThat(scale.json().path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(scale.text("status", "selector")).isEqualTo("app=g");
        Reply after = api.get("/apis/apps/v1/namespaces/default/deployments/gen");
        assertThat(after.json().path("metadata").path("generation").asInt()).isEqualTo(2);
        assertThat(after.json().path("spec").path("replicas").asInt()).isEqualTo(3);
    }

    @Test
    void statusSubresourceChangesOnlyStatusAndMainResourceIgnoresStatus() {
        api.post("/api/v1/nodes", "{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"podCIDR\":\"10.244.1.0/24\"}}");
        Reply s = api.patch("/api/v1/nodes/n1/status", "application/merge-patch+json",
                "{\"spec\":{\"unschedulable\":true},\"status\":{\"phase\":\"Running\"}}");
        assertThat(s.code()).isEqualTo(200);
        assertThat(s.text("status", "phase")).isEqualTo("Running");
        assertThat(s.json().path("spec").has("unschedulable")).isFalse();
        Reply m = api.patch("/api/v1/nodes/n1", "application/merge-patch+json",
                "{\"spec\":{\"unschedulable\":true},\"status\":{\"phase\":\"Terminated\"}}");
        assertThat(m.json().path("spec").path("unschedulable").asBoolean()).isTrue();
        assertThat(m.text("status", "phase")).isEqualTo("Running");
    }

    @Test
    void finalizersHoldDeletionUntilRemoved() {
        api.post("/api/v1/namespaces/default/configmaps",
                "{\"metadata\":{\"name\":\"fin\",\"finalizers\":[\"example.com/hold\"]}}");
        Reply d = api.delete("/api/v1/namespaces/default/configmaps/fin");
        assertThat(d.code()).isEqualTo(200);
        assertThat(d.text("metadata", "deletionTimestamp")).isNotNull();
        assertThat(api.get("/api/v1/namespaces/default/configmaps/fin").code()).isEqualTo(200);
        Reply release = api.patch("/api/v1/namespaces/default/configmaps/fin", "application/merge-patch+json",
                "{\"metadata\":{\"finalizers\":null}}");
        assertThat(release.code()).isEqualTo(200);
        assertThat(api.get("/api/v1/namespaces/default/configmaps/fin").code()).isEqualTo(404);
    }

    @Test
    void namespacesGoThroughTerminatingAndFinalize() {
        Reply created = api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"fin-ns\"}}");
        assertThat(created.json().path("spec").path("finalizers").get(0).asString()).isEqualTo("kubernetes");
        Reply edit = api.patch("/api/v1/namespaces/fin-ns", "application/merge-patch+json", "{\"spec\":{\"finalizers\":null}}");
        assertThat(edit.json().path("spec").path("finalizers")).as("only finalize may change them").hasSize(1);
        Reply deleting = api.delete("/api/v1/namespaces/fin-ns");
        assertThat(deleting.text("status", "phase")).isEqualTo("Terminating");
        assertThat(api.post("/api/v1/namespaces/fin-ns/configmaps", cm("late", "v")).code()).isEqualTo(403);
        Reply finalized = api.put("/api/v1/namespaces/fin-ns/finalize", "{\"metadata\":{\"name\":\"fin-ns\"},\"spec\":{}}");
        assertThat(finalized.code()).isEqualTo(200);
        assertThat(api.get("/api/v1/namespaces/fin-ns").code()).isEqualTo(404);
    }

    @Test
    void boundPodsAreDeletedGracefullyUnboundAtOnce() {
        String pod = "{\"metadata\":{\"name\":\"%s\"},\"spec\":{%s\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}";
        api.post("/api/v1/namespaces/default/pods", pod.formatted("bound", "\"nodeName\":\"n1\","));
        api.post("/api/v1/namespaces/default/pods", pod.formatted("unbound", ""));
        Reply b = api.delete("/api/v1/namespaces/default/pods/bound");
        assertThat(b.json().path("metadata").path("deletionGracePeriodSeconds").asInt()).isEqualTo(30);
        assertThat(api.get("/api/v1/namespaces/default/pods/bound").code()).isEqualTo(200);
        Reply now = api.send("DELETE", "/api/v1/namespaces/default/pods/bound", "application/json",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0}");
        assertThat(now.code()).isEqualTo(200);
        assertThat(api.get("/api/v1/namespaces/default/pods/bound").code()).isEqualTo(404);
        api.delete("/api/v1/namespaces/default/pods/unbound");
        assertThat(api.get("/api/v1/namespaces/default/pods/unbound").code()).isEqualTo(404);
    }

    @Test
    void dryRunWritesNothing() {
        Reply r = api.send("POST", "/api/v1/namespaces/default/configmaps?dryRun=All", "application/json", cm("dry", "v"));
        assertThat(r.code()).isEqualTo(201);
        assertThat(api.get("/api/v1/namespaces/default/configmaps/dry").code()).isEqualTo(404);
    }

    @Test
    void yamlBodiesAreAccepted() {
        Reply r = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fromyaml\ndata:\n  k: v\n");
        assertThat(r.code()).isEqualTo(201);
        assertThat(r.text("data", "k")).isEqualTo("v");
    }

    @Test
    void unknownMediaTypeIsUnsupported() {
        Reply r = api.send("POST", "/api/v1/namespaces/default/configmaps", "text/csv", "a,b");
        assertThat(r.code()).isEqualTo(415);
        assertThat(r.text("reason")).isEqualTo("UnsupportedMediaType");
    }
}
