package dev.roster.apiserver.authz.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.rest.AdmissionCheck;
import dev.roster.apiserver.rest.AdmissionCheck.Operation;
import dev.roster.apiserver.rest.RequestTarget;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Node restriction admission for node n1; pod-n1 runs on n1, pod-n2 on n2. "" expects the write to pass. */
class NodeRestrictionTest {
    static final ResourceRegistry REGISTRY = ResourceRegistry.builtin();
    static final UserInfo N1 = new UserInfo("system:node:n1", List.of("system:nodes", "system:authenticated"));
    static final Map<String, JsonNode> PODS = Map.of(
            "ns/pod-n1", Pods.pod("ns", "pod-n1", "n1", "{\"containers\":[{\"name\":\"c\"}]}"),
            "ns/pod-n2", Pods.pod("ns", "pod-n2", "n2", "{\"containers\":[{\"name\":\"c\"}]}"));
    static final NodeRestriction RESTRICTION = new NodeRestriction((ns, name) -> PODS.get(ns + "/" + name),
            name -> name.equals("n1") ? Json.parse("{\"metadata\":{\"name\":\"n1\",\"uid\":\"uid-n1\"}}") : null);

    static final String MIRROR_META = "\"name\":\"static-web-n1\",\"namespace\":\"ns\",\"annotations\":{\"kubernetes.io/config.mirror\":\"h\"},"
            + "\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"n1\",\"uid\":\"%s\",\"controller\":true}]";

    static ObjectNode mirror(String uid, String spec) {
        return (ObjectNode) Json.parse("{\"metadata\":{" + MIRROR_META.formatted(uid) + "},\"spec\":" + spec + "}");
    }

    static ObjectNode withLabels(JsonNode obj, String labelsJson) {
        ObjectNode o = (ObjectNode) obj.deepCopy();
        ((ObjectNode) o.get("metadata")).set("labels", Json.parse(labelsJson));
        return o;
    }

    static ObjectNode node(String name, String rest) {
        return (ObjectNode) Json.parse("{\"metadata\":{\"name\":\"" + name + "\"" + rest + "}}");
    }

    static ObjectNode json(String s) {
        return (ObjectNode) Json.parse(s);
    }

    static Arguments write(String name, Operation op, String resource, String ns, String target, String sub, ObjectNode object,
            JsonNode old, String expected) {
        return Arguments.of(name, op, resource, ns, target, sub, object, old, expected);
    }

    static Stream<Arguments> writes() {
        JsonNode podN1 = PODS.get("ns/pod-n1");
        JsonNode podN2 = PODS.get("ns/pod-n2");
        String bare = "{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\"}]}";
        String token = "{\"spec\":{\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"%s\",\"uid\":\"%s\"}}}";
        return Stream.of(
                write("mirror pod of its own", Operation.CREATE, "pods", "ns", null, null, mirror("uid-n1", bare), null, ""),
                write("plain pod", Operation.CREATE, "pods", "ns", null, null, json("{\"metadata\":{\"name\":\"p\"},\"spec\":" + bare + "}"), null,
                        "pods \"p\" is forbidden: pod does not have \"kubernetes.io/config.mirror\" annotation, node \"n1\" can only create mirror pods"),
                write("mirror pod of another node", Operation.CREATE, "pods", "ns", null, null, mirror("uid-n1", bare.replace("n1", "n2")), null,
                        "pods \"static-web-n1\" is forbidden: node \"n1\" can only create pods with spec.nodeName set to itself"),
                write("mirror pod owned with a stale uid", Operation.CREATE, "pods", "ns", null, null, mirror("old", bare), null,
                        "pods \"static-web-n1\" is forbidden: node n1 UID mismatch: expected old got uid-n1"),
                write("mirror pod using a secret", Operation.CREATE, "pods", "ns", null, null,
                        mirror("uid-n1", "{\"nodeName\":\"n1\",\"volumes\":[{\"name\":\"v\",\"secret\":{\"secretName\":\"s\"}}]}"), null,
                        "pods \"static-web-n1\" is forbidden: node \"n1\" can not create pods that reference secrets"),
                write("mirror pod with a service account", Operation.CREATE, "pods", "ns", null, null,
                        mirror("uid-n1", "{\"nodeName\":\"n1\",\"serviceAccountName\":\"default\",\"volumes\":[{\"name\":\"v\",\"secret\":{\"secretName\":\"s\"}}]}"), null,
                        "pods \"static-web-n1\" is forbidden: node \"n1\" can not create pods that reference a service account"),
                write("pod spec update", Operation.UPDATE, "pods", "ns", "pod-n1", null, (ObjectNode) podN1, podN1,
                        "pods \"pod-n1\" is forbidden: unexpected operation \"UPDATE\", node \"n1\" can only create and delete mirror pods"),
                write("delete own pod", Operation.DELETE, "pods", "ns", "pod-n1", null, (ObjectNode) podN1, podN1, ""),
                write("delete another node's pod", Operation.DELETE, "pods", "ns", "pod-n2", null, (ObjectNode) podN2, podN2,
                        "pods \"pod-n2\" is forbidden: node \"n1\" can only delete pods with spec.nodeName set to itself"),
                write("own pod status", Operation.UPDATE, "pods", "ns", "pod-n1", "status", (ObjectNode) podN1, podN1, ""),
                write("another node's pod status", Operation.UPDATE, "pods", "ns", "pod-n2", "status", (ObjectNode) podN2, podN2,
                        "pods \"pod-n2\" is forbidden: node \"n1\" can only update pod status for pods with spec.nodeName set to itself"),
                write("labels through pod status", Operation.UPDATE, "pods", "ns", "pod-n1", "status", withLabels(podN1, "{\"a\":\"b\"}"), podN1,
                        "pods \"pod-n1\" is forbidden: node \"n1\" cannot update labels through pod status"),
                write("evict another node's pod", Operation.CREATE, "pods", "ns", "pod-n2", "eviction", json("{\"metadata\":{\"name\":\"pod-n2\"}}"), null,
                        "pods \"pod-n2\" is forbidden: node n1 can only evict pods with spec.nodeName set to itself"),
                write("pod exec", Operation.CREATE, "pods", "ns", "pod-n1", "exec", json("{}"), null,
                        "pods \"pod-n1\" is forbidden: unexpected pod subresource \"exec\", only 'status' and 'eviction' are allowed"),
                write("register itself", Operation.CREATE, "nodes", null, null, null,
                        node("n1", ",\"labels\":{\"kubernetes.io/hostname\":\"h\",\"node.kubernetes.io/instance-type\":\"sim\",\"disk\":\"ssd\"}"), null, ""),
                write("register another node", Operation.CREATE, "nodes", null, null, null, node("n2", ""), null,
                        "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\""),
                write("register with steering labels", Operation.CREATE, "nodes", null, null, null,
                        node("n1", ",\"labels\":{\"node-role.kubernetes.io/control-plane\":\"\",\"node-restriction.kubernetes.io/pool\":\"a\"}"), null,
                        "nodes \"n1\" is forbidden: node \"n1\" is not allowed to set the following labels: node-restriction.kubernetes.io/pool, node-role.kubernetes.io/control-plane"),
                write("relabel with a restricted label", Operation.UPDATE, "nodes", null, "n1", null,
                        node("n1", ",\"labels\":{\"team.node-restriction.kubernetes.io/x\":\"y\"}"), node("n1", ""),
                        "nodes \"n1\" is forbidden: is not allowed to modify labels: team.node-restriction.kubernetes.io/x"),
                write("remove its taints", Operation.UPDATE, "nodes", null, "n1", null, node("n1", ""),
                        json("{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"taints\":[{\"key\":\"k\",\"effect\":\"NoSchedule\"}]}}"),
                        "nodes \"n1\" is forbidden: node \"n1\" is not allowed to modify taints"),
                write("update its status", Operation.UPDATE, "nodes", null, "n1", "status", node("n1", ""), node("n1", ""), ""),
                write("patch another node", Operation.UPDATE, "nodes", null, "n2", null, node("n2", ""), node("n2", ""),
                        "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\""),
                write("own lease", Operation.CREATE, "leases", "kube-node-lease", null, null, json("{\"metadata\":{\"name\":\"n1\"}}"), null, ""),
                write("another node's lease", Operation.CREATE, "leases", "kube-node-lease", null, null, json("{\"metadata\":{\"name\":\"n2\"}}"), null,
                        "leases.coordination.k8s.io \"n2\" is forbidden: can only access node lease with the same name as the requesting node"),
                write("a lease elsewhere", Operation.UPDATE, "leases", "default", "n1", null, json("{\"metadata\":{\"name\":\"n1\"}}"), json("{}"),
                        "leases.coordination.k8s.io \"n1\" is forbidden: can only access leases in the \"kube-node-lease\" system namespace"),
                write("token for its pod", Operation.CREATE, "serviceaccounts", "ns", "sa", "token", json(token.formatted("pod-n1", "uid-pod-n1")), null, ""),
                write("unbound token", Operation.CREATE, "serviceaccounts", "ns", "sa", "token", json("{\"spec\":{}}"), null,
                        "serviceaccounts \"sa\" is forbidden: node requested token not bound to a pod"),
                write("token for another node's pod", Operation.CREATE, "serviceaccounts", "ns", "sa", "token",
                        json(token.formatted("pod-n2", "uid-pod-n2")), null,
                        "serviceaccounts \"sa\" is forbidden: node requested token bound to a pod scheduled on a different node"),
                write("token for a recreated pod", Operation.CREATE, "serviceaccounts", "ns", "sa", "token", json(token.formatted("pod-n1", "old")), null,
                        "serviceaccounts \"sa\" is forbidden: the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated"),
                write("claim spec", Operation.UPDATE, "persistentvolumeclaims", "ns", "d", null, json("{\"metadata\":{\"name\":\"d\"}}"), json("{}"),
                        "persistentvolumeclaims \"d\" is forbidden: may only update PVC status"),
                write("claim capacity", Operation.UPDATE, "persistentvolumeclaims", "ns", "d", "status",
                        json("{\"metadata\":{\"name\":\"d\",\"resourceVersion\":\"2\"},\"status\":{\"capacity\":{\"storage\":\"2Gi\"}}}"),
                        json("{\"metadata\":{\"name\":\"d\",\"resourceVersion\":\"1\"},\"status\":{\"capacity\":{\"storage\":\"1Gi\"}}}"), ""),
                write("claim phase", Operation.UPDATE, "persistentvolumeclaims", "ns", "d", "status",
                        json("{\"metadata\":{\"name\":\"d\"},\"status\":{\"phase\":\"Lost\"}}"), json("{\"metadata\":{\"name\":\"d\"},\"status\":{}}"),
                        "persistentvolumeclaims \"d\" is forbidden: node \"n1\" is not allowed to update fields other than status.capacity and status.conditions"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void admits(String name, Operation op, String resource, String ns, String target, String sub, ObjectNode object, JsonNode old,
            String expected) {
        assertEquals(expected, outcome(N1, op, resource, ns, target, sub, object, old));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void otherUsersPassUntouched(String name, Operation op, String resource, String ns, String target, String sub, ObjectNode object,
            JsonNode old) {
        assertEquals("", outcome(new UserInfo("system:node:n1", List.of("system:authenticated")), op, resource, ns, target, sub, object, old));
    }

    @org.junit.jupiter.api.Test
    void aNodeUserWithoutANameIsRefused() {
        assertEquals("leases.coordination.k8s.io \"x\" is forbidden: could not determine node from user \"system:node:\"",
                outcome(new UserInfo("system:node:", List.of("system:nodes")), Operation.CREATE, "leases", "kube-node-lease", null, null,
                        json("{\"metadata\":{\"name\":\"x\"}}"), null));
    }

    private static String outcome(UserInfo user, Operation op, String resource, String ns, String target, String sub, ObjectNode object,
            JsonNode old) {
        // roster serves no PersistentVolumeClaims yet: the rule is checked with the type upstream has
        ResourceType type = REGISTRY.all().stream().filter(t -> t.resource().equals(resource)).findFirst()
                .orElseGet(() -> new ResourceType("", "v1", resource, "persistentvolumeclaim", "PersistentVolumeClaim", true, List.of(),
                        List.of(), List.of("status"), "/registry/core/" + resource));
        try {
            RESTRICTION.check(new AdmissionCheck.Attributes(user, op, new RequestTarget(type, ns, target, sub), object, old));
            return "";
        } catch (ApiException e) {
            assertEquals(403, e.code());
            return e.getMessage();
        }
    }
}
