package dev.roster.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.ControllerManager;
import dev.roster.controllers.testing.ApiWorld;
import dev.roster.testing.Vectors;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upstream Endpoints-controller vectors (test resources vectors/controllers/01–07), run end to end: objects are created
 * in a real in-process API server, the controller manager runs against it through fabric8 informers, and the
 * resulting Endpoints are compared on the fields upstream compares (see each case's notes.md).
 * <p>Where a real API server necessarily differs from upstream's fake-clientset fixtures, the comparison adapts:
 * services get a real ClusterIP (so the headless label is expected only if the stored service is headless), pods
 * get UIDs (targetRef.uid is checked against the pod, not the fixture), services have a creationTimestamp (the
 * trigger-time annotation is ignored here and tested on its own).
 */
class EndpointsVectorsTest {
    private static final Duration CONVERGE = Duration.ofSeconds(30);

    /** A running world: API server, loaded objects, controller manager, and per-key reconcile counts. */
    static final class Run implements AutoCloseable {
        final ApiWorld world = new ApiWorld();
        ControllerManager manager;
        final Map<String, AtomicInteger> syncs = new ConcurrentHashMap<>();

        void start() {
            // the listener goes in before the controllers start: their first syncs come within milliseconds, and a
            // key synced before the listener was there would never be counted (the test then waited in vain)
            manager = new ControllerManager().onEndpointsSync(k -> syncs.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet())
                    .start(world.client);
        }

        int syncs(String key) { return syncs.getOrDefault(key, new AtomicInteger()).get(); }

        @Override
        public void close() {
            if (manager != null) manager.close();
            world.close();
        }
    }

    // ---- full-body cases: 01, 02, 03, 05 ----

    static Stream<Arguments> fullBody() {
        return Stream.of(
                Arguments.of("01-endpoints-basic-selector-match", null, 0),
                Arguments.of("02-endpoints-not-ready-pods", null, 0),
                Arguments.of("03-endpoints-multiple-ports", null, 0),
                Arguments.of("05-endpoints-headless", "TestSyncEndpointsHeadlessService", 0),
                Arguments.of("05-endpoints-headless", "TestSyncEndpointsHeadlessWithoutPort", 1));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fullBody")
    @SuppressWarnings("unchecked")
    void fullBodyCase(String name, String subCase, int expectedIndex) {
        String dir = "controllers/" + name;
        List<Map<String, Object>> input = Vectors.documents(dir + "/input.yaml");
        if (subCase != null) {
            input = (List<Map<String, Object>>) input.stream().filter(d -> subCase.equals(d.get("name"))).findFirst()
                    .orElseThrow().get("objects");
        }
        Map<String, Object> expectedRaw = Vectors.documents(dir + "/expected.yaml").get(expectedIndex);
        try (Run run = new Run()) {
            Endpoints expected = run.world.client.getKubernetesSerialization().convertValue(expectedRaw, Endpoints.class);
            Map<String, Object> svcRaw = input.stream().filter(o -> "Service".equals(o.get("kind"))).findFirst().orElseThrow();
            String ns = (String) ((Map<String, Object>) svcRaw.get("metadata")).get("namespace");
            String svcName = (String) ((Map<String, Object>) svcRaw.get("metadata")).get("name");
            run.world.load(selectorFixup(input), null);
            run.start();
            Service svc = run.world.service(ns, svcName);
            await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> assertMatches(run.world, svc, expected, run.world.endpoints(ns, svcName)));

            // no write when nothing changed: a service update triggers a sync that must leave the object alone
            String rv = run.world.endpoints(ns, svcName).getMetadata().getResourceVersion();
            int before = run.syncs(ns + "/" + svcName);
            run.world.client.services().inNamespace(ns).withName(svcName)
                    .edit(s -> { s.getMetadata().setAnnotations(Map.of("touched", "yes")); return s; });
            await().atMost(CONVERGE).until(() -> run.syncs(ns + "/" + svcName) > before);
            assertThat(run.world.endpoints(ns, svcName).getMetadata().getResourceVersion()).isEqualTo(rv);
        }
    }

    /**
     * {@code selector: {}} cannot reach a controller through a real API server (protobuf storage and JSON
     * omitempty turn it into "no selector"); the fixtures use it to select every pod of the namespace, so it is
     * replaced by the labels all the fixture's pods in that namespace share, which selects the same pods.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> selectorFixup(List<Map<String, Object>> input) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> o : input) {
            if ("Service".equals(o.get("kind")) && ((Map<String, Object>) o.get("spec")).get("selector") instanceof Map<?, ?> sel
                    && sel.isEmpty()) {
                String ns = (String) ((Map<String, Object>) o.get("metadata")).get("namespace");
                Map<String, Object> common = null;
                for (Map<String, Object> p : input) {
                    if (!"Pod".equals(p.get("kind"))) continue;
                    Map<String, Object> meta = (Map<String, Object>) p.get("metadata");
                    if (!ns.equals(meta.get("namespace"))) continue;
                    Map<String, Object> labels = (Map<String, Object>) meta.getOrDefault("labels", Map.of());
                    if (common == null) {
                        common = new LinkedHashMap<>(labels);
                    } else {
                        common.entrySet().removeIf(e -> !e.getValue().equals(labels.get(e.getKey())));
                    }
                }
                Map<String, Object> copy = new LinkedHashMap<>(o);
                Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) o.get("spec"));
                spec.put("selector", common == null ? Map.of() : common);
                copy.put("spec", spec);
                out.add(copy);
            } else {
                out.add(o);
            }
        }
        return out;
    }

    static void assertMatches(ApiWorld world, Service svc, Endpoints expected, Endpoints actual) {
        assertThat(actual).as("endpoints %s", expected.getMetadata().getName()).isNotNull();
        Map<String, String> wantLabels = new LinkedHashMap<>(expected.getMetadata().getLabels());
        String ip = svc.getSpec().getClusterIP();
        if (ip != null && !ip.isEmpty() && !"None".equals(ip)) wantLabels.remove(EndpointsController.HEADLESS);
        assertThat(actual.getMetadata().getLabels()).isEqualTo(wantLabels);
        var ann = actual.getMetadata().getAnnotations();
        assertThat(ann == null ? null : ann.get(EndpointsController.OVER_CAPACITY)).isNull();
        assertThat(normalize(actual.getSubsets(), true)).isEqualTo(normalize(expected.getSubsets(), false));
        for (EndpointSubset s : actual.getSubsets()) {
            for (EndpointAddress a : all(s)) {
                var pod = world.client.pods().inNamespace(a.getTargetRef().getNamespace()).withName(a.getTargetRef().getName()).get();
                assertThat(a.getTargetRef().getUid()).isEqualTo(pod.getMetadata().getUid());
                assertThat(a.getTargetRef().getResourceVersion()).isNull();
            }
        }
    }

    static List<EndpointAddress> all(EndpointSubset s) {
        List<EndpointAddress> l = new ArrayList<>();
        if (s.getAddresses() != null) l.addAll(s.getAddresses());
        if (s.getNotReadyAddresses() != null) l.addAll(s.getNotReadyAddresses());
        return l;
    }

    /** Subsets as comparable text: nil and "" are the same, UIDs dropped from actual objects (checked separately). */
    static List<String> normalize(List<EndpointSubset> subsets, boolean dropUid) {
        List<String> out = new ArrayList<>();
        if (subsets == null) return out;
        for (EndpointSubset s : subsets) {
            StringBuilder sb = new StringBuilder("ready=");
            addresses(sb, s.getAddresses());
            sb.append(" notReady=");
            addresses(sb, s.getNotReadyAddresses());
            sb.append(" ports=");
            if (s.getPorts() != null) {
                s.getPorts().forEach(p -> sb.append('[').append(str(p.getName())).append(' ').append(p.getPort()).append('/')
                        .append(str(p.getProtocol())).append(' ').append(str(p.getAppProtocol())).append(']'));
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static void addresses(StringBuilder sb, List<EndpointAddress> l) {
        if (l == null) return;
        for (EndpointAddress a : l) {
            sb.append('[').append(a.getIp()).append(" host=").append(str(a.getHostname())).append(" node=").append(str(a.getNodeName()));
            if (a.getTargetRef() != null) {
                sb.append(" ref=").append(a.getTargetRef().getKind()).append('/').append(a.getTargetRef().getNamespace())
                        .append('/').append(a.getTargetRef().getName());
            }
            sb.append(']');
        }
    }

    private static String str(String s) { return s == null ? "" : s; }

    // ---- 04: counts per sub-case ----

    @Test
    @SuppressWarnings("unchecked")
    void publishNotReadyAndTerminating() {
        String dir = "controllers/04-endpoints-publish-not-ready-and-terminating";
        List<Map<String, Object>> subCases = Vectors.documents(dir + "/input.yaml");
        Map<String, Map<String, Object>> expectations = new LinkedHashMap<>();
        for (Map<String, Object> e : Vectors.documents(dir + "/expected.yaml")) expectations.put((String) e.get("name"), e);
        try (Run run = new Run()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < subCases.size(); i++) {
                names.add((String) subCases.get(i).get("name"));
                run.world.load((List<Map<String, Object>>) subCases.get(i).get("objects"), "case-" + i);
            }
            run.start();
            for (int i = 0; i < names.size(); i++) {
                Map<String, Object> exp = expectations.get(names.get(i));
                String ns = "case-" + i;
                await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> {
                    Endpoints ep = run.world.endpoints(ns, "foo");
                    assertThat(ep).as(names.get(names.indexOf(names.get(0)))).isNotNull();
                    int ready = 0, notReady = 0;
                    for (EndpointSubset s : ep.getSubsets()) {
                        ready += s.getAddresses() == null ? 0 : s.getAddresses().size();
                        notReady += s.getNotReadyAddresses() == null ? 0 : s.getNotReadyAddresses().size();
                    }
                    assertThat(List.of(ready, notReady)).as(exp.get("name").toString())
                            .isEqualTo(List.of(exp.get("readyAddressCount"), exp.get("notReadyAddressCount")));
                });
            }
        }
    }
}
