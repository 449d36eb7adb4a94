package dev.roster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.apiserver.TestServer.Reply;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * pods/binding, the subresource a scheduler posts to place a pod, as upstream's BindingREST answers it: the first
 * binding sets spec.nodeName and PodScheduled=True and replies 201 with a Success Status; binding a pod that
 * already has a node is a 409 Conflict on {@code pods/binding}; a missing pod is a 404 on {@code pods}.
 */
class PodBindingTest {
    @RegisterExtension
    static final TestServer api = new TestServer();


    static String pod(String name, String nodeName) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{%s"containers":[{"name":"c","image":"nginx"}]}}"""
                .formatted(name, nodeName == null ? "" : "\"nodeName\":\"" + nodeName + "\",");
    }

    static String binding(String pod, String node) {
        return """
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"%s"},
                 "target":{"apiVersion":"v1","kind":"Node","name":"%s"}}""".formatted(pod, node);
    }

    static Reply bind(String pod, String node) {
        return api.post("/api/v1/namespaces/default/pods/" + pod + "/binding", binding(pod, node));
    }

    @Test
    void theFirstBindingSetsTheNodeAndPodScheduled() {
        assertThat(api.post("/api/v1/namespaces/default/pods", pod("pending", null)).code()).isEqualTo(201);
        Reply r = bind("pending", "node-a");
        assertThat(r.code()).as(r.body()).isEqualTo(201);
        assertThat(r.text("kind")).isEqualTo("Status");
        assertThat(r.text("status")).isEqualTo("Success");

        Reply got = api.get("/api/v1/namespaces/default/pods/pending");
        assertThat(got.text("spec", "nodeName")).isEqualTo("node-a");
        assertThat(got.json().path("status").path("conditions")).anySatisfy(c -> {
            assertThat(c.path("type").asString()).isEqualTo("PodScheduled");
            assertThat(c.path("status").asString()).isEqualTo("True");
        });
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                // bound by a first binding, or created with spec.nodeName: either way the pod keeps its node
                Arguments.of("bound-twice", "node-a", true, 409, "Conflict",
                        "Operation cannot be fulfilled on pods/binding \"bound-twice\": pod bound-twice is already assigned to node \"node-a\"",
                        "pods/binding"),
                Arguments.of("created-bound", "node-a", false, 409, "Conflict",
                        "Operation cannot be fulfilled on pods/binding \"created-bound\": pod created-bound is already assigned to node \"node-a\"",
                        "pods/binding"),
                Arguments.of("missing", null, false, 404, "NotFound", "pods \"missing\" not found", "pods"));
    }

    @ParameterizedTest(name = "{0} -> {3} {4}")
    @MethodSource("refusals")
    void refusedBindingsAreStatusObjects(String pod, String node, boolean bindFirst, int code, String reason,
            String message, String detailsKind) {
        if (node != null) {
            assertThat(api.post("/api/v1/namespaces/default/pods", pod(pod, bindFirst ? null : node)).code()).isEqualTo(201);
            if (bindFirst) assertThat(bind(pod, node).code()).isEqualTo(201);
        }
        Reply r = bind(pod, "node-b");
        assertThat(r.code()).as(r.body()).isEqualTo(code);
        assertThat(r.text("kind")).isEqualTo("Status");
        assertThat(r.text("status")).isEqualTo("Failure");
        assertThat(r.text("reason")).isEqualTo(reason);
        assertThat(r.text("message")).isEqualTo(message);
        assertThat(r.text("details", "name")).isEqualTo(pod);
        assertThat(r.text("details", "kind")).isEqualTo(detailsKind);
        if (node != null) assertThat(api.get("/api/v1/namespaces/default/pods/" + pod).text("spec", "nodeName")).isEqualTo(node);
    }
}
