package dev.roster.apiserver.authz.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.apiserver.cache.CacheEvent;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** What a node may reach as pods are added, bound, rebound and removed. */
class NodeGraphTest {
    static final String ALL_REFS = """
            {"serviceAccountName":"runner","imagePullSecrets":[{"name":"pull"}],
             "initContainers":[{"name":"i","envFrom":[{"configMapRef":{"name":"init-env"}}]}],
             "containers":[{"name":"c","env":[{"name":"A","valueFrom":{"secretKeyRef":{"name":"env-secret","key":"k"}}},
                                               {"name":"B","valueFrom":{"configMapKeyRef":{"name":"env-cm","key":"k"}}}],
                            "envFrom":[{"secretRef":{"name":"envfrom-secret"}}]}],
             "volumes":[{"name":"s","secret":{"secretName":"vol-secret"}},
                        {"name":"c","configMap":{"name":"vol-cm"}},
                        {"name":"p","projected":{"sources":[{"secret":{"name":"proj-secret"}},{"configMap":{"name":"proj-cm"}}]}},
                        {"name":"d","persistentVolumeClaim":{"claimName":"data"}},
                        {"name":"e","ephemeral":{"volumeClaimTemplate":{}}},
                        {"name":"f","cephfs":{"monitors":["m"],"secretRef":{"name":"ceph"}}}]}""";

    static Stream<Arguments> references() {
        return Stream.of(
                Arguments.of(ObjectRef.serviceAccount("ns", "runner"), true),
                Arguments.of(ObjectRef.secret("ns", "pull"), true),
                Arguments.of(ObjectRef.configMap("ns", "init-env"), true),
                Arguments.of(ObjectRef.secret("ns", "env-secret"), true),
                Arguments.of(ObjectRef.configMap("ns", "env-cm"), true),
                Arguments.of(ObjectRef.secret("ns", "envfrom-secret"), true),
                Arguments.of(ObjectRef.secret("ns", "vol-secret"), true),
                Arguments.of(ObjectRef.configMap("ns", "vol-cm"), true),
                Arguments.of(ObjectRef.secret("ns", "proj-secret"), true),
                Arguments.of(ObjectRef.configMap("ns", "proj-cm"), true),
                Arguments.of(ObjectRef.claim("ns", "data"), true),
                Arguments.of(ObjectRef.claim("ns", "web-e"), true),
                Arguments.of(ObjectRef.secret("ns", "ceph"), true),
                // same name, other namespace or other kind: no relationship
                Arguments.of(ObjectRef.secret("other", "vol-secret"), false),
                Arguments.of(ObjectRef.configMap("ns", "vol-secret"), false),
                Arguments.of(ObjectRef.secret("ns", "unused"), false),
                Arguments.of(ObjectRef.serviceAccount("ns", "default"), false));
    }

    @ParameterizedTest
    @MethodSource("references")
    void aBoundPodLinksItsNodeToWhatItReferences(ObjectRef ref, boolean related) {
        NodeGraph g = new NodeGraph();
        g.onPod(Pods.event(CacheEvent.Type.ADDED, Pods.pod("ns", "web", "n1", ALL_REFS), null));
        assertEquals(related, g.related("n1", ref), "n1 → " + ref);
        assertEquals(false, g.related("n2", ref), "n2 → " + ref);
    }

    record Step(CacheEvent.Type type, String pod, String node, String secret) {}

    static Stream<Arguments> lifecycles() {
        return Stream.of(
                Arguments.of("unbound pod links nothing",
                        List.of(new Step(CacheEvent.Type.ADDED, "a", "", "s")), List.of(), List.of("n1")),
                Arguments.of("binding links the node",
                        List.of(new Step(CacheEvent.Type.ADDED, "a", "", "s"), new Step(CacheEvent.Type.MODIFIED, "a", "n1", "s")),
                        List.of("n1"), List.of("n2")),
                Arguments.of("rebinding moves the link",
                        List.of(new Step(CacheEvent.Type.ADDED, "a", "n1", "s"), new Step(CacheEvent.Type.MODIFIED, "a", "n2", "s")),
                        List.of("n2"), List.of("n1")),
                Arguments.of("deleting the pod unlinks",
                        List.of(new Step(CacheEvent.Type.ADDED, "a", "n1", "s"), new Step(CacheEvent.Type.DELETED, "a", "n1", "s")),
                        List.of(), List.of("n1")),
                Arguments.of("a second pod keeps the link when the first goes",
                        List.of(new Step(CacheEvent.Type.ADDED, "a", "n1", "s"), new Step(CacheEvent.Type.ADDED, "b", "n1", "s"),
                                new Step(CacheEvent.Type.DELETED, "a", "n1", "s")),
                        List.of("n1"), List.of("n2")),
                Arguments.of("pods of two nodes share a secret",
                        List.of(new Step(CacheEvent.Type.ADDED, "a", "n1", "s"), new Step(CacheEvent.Type.ADDED, "b", "n2", "s")),
                        List.of("n1", "n2"), List.of("n3")),
                Arguments.of("a pod that stops using the secret unlinks it",
                        List.of(new Step(CacheEvent.Type.ADDED, "a", "n1", "s"), new Step(CacheEvent.Type.MODIFIED, "a", "n1", "other")),
                        List.of(), List.of("n1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lifecycles")
    void podChangesChangeWhatNodesReach(String name, List<Step> steps, List<String> reach, List<String> cannot) {
        NodeGraph g = new NodeGraph();
        java.util.Map<String, ObjectNode> last = new java.util.HashMap<>();
        for (Step s : steps) {
            ObjectNode pod = Pods.pod("ns", s.pod(), s.node(),
                    "{\"containers\":[{\"name\":\"c\"}],\"volumes\":[{\"name\":\"v\",\"secret\":{\"secretName\":\"" + s.secret() + "\"}}]}");
            g.onPod(Pods.event(s.type(), pod, last.get(s.pod())));
            last.put(s.pod(), pod);
        }
        for (String n : reach) assertEquals(true, g.related(n, ObjectRef.secret("ns", "s")), n);
        for (String n : cannot) assertEquals(false, g.related(n, ObjectRef.secret("ns", "s")), n);
    }

    @Test
    void nothingIsLeftBehindWhenEveryPodIsGone() {
        NodeGraph g = new NodeGraph();
        ObjectNode a = Pods.pod("ns", "web", "n1", ALL_REFS);
        g.onPod(Pods.event(CacheEvent.Type.ADDED, a, null));
        assertEquals(13, g.linkedObjects());
        g.onPod(Pods.event(CacheEvent.Type.DELETED, a, a));
        assertEquals(0, g.linkedObjects());
    }

    @Test
    void aVolumeIsReachedThroughTheClaimOfAPodOnTheNode() {
        NodeGraph g = new NodeGraph();
        g.onPod(Pods.event(CacheEvent.Type.ADDED, Pods.pod("ns", "web", "n1", ALL_REFS), null));
        ObjectNode pv = (ObjectNode) dev.roster.api.Json.parse("""
                {"metadata":{"name":"pv1"},"spec":{"claimRef":{"namespace":"ns","name":"data"},
                 "csi":{"driver":"d","volumeHandle":"h","nodePublishSecretRef":{"namespace":"creds","name":"csi-secret"}}}}""");
        g.onVolume(new CacheEvent(CacheEvent.Type.ADDED, new dev.roster.apiserver.cache.CachedObject("/registry/pv/pv1", pv, 1), null, 1));
        assertEquals(true, g.related("n1", ObjectRef.volume("pv1")));
        assertEquals(true, g.related("n1", ObjectRef.secret("creds", "csi-secret")));
        assertEquals(false, g.related("n2", ObjectRef.volume("pv1")));
        g.onVolume(new CacheEvent(CacheEvent.Type.DELETED, new dev.roster.apiserver.cache.CachedObject("/registry/pv/pv1", pv, 2), null, 2));
        assertEquals(false, g.related("n1", ObjectRef.volume("pv1")));
        assertEquals(false, g.related("n1", ObjectRef.secret("creds", "csi-secret")));
    }
}
