package dev.roster.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.roster.controllers.endpoints.EndpointsVectorsTest.Run;
import dev.roster.testing.Vectors;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Vectors 06 (selector-less, deleted and ExternalName services) and 07 (over-capacity truncation). */
class EndpointsVectors2Test {
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @Test
    @SuppressWarnings("unchecked")
    void selectorlessDeletedAndExternalName() {
        String dir = "controllers/06-endpoints-selectorless-and-deleted-service";
        List<Map<String, Object>> subCases = Vectors.documents(dir + "/input.yaml");
        Map<String, List<Map<String, Object>>> requests = new LinkedHashMap<>();
        for (Map<String, Object> e : Vectors.documents(dir + "/expected.yaml")) {
            requests.put((String) e.get("name"), (List<Map<String, Object>>) e.get("requests"));
        }
        try (Run run = new Run()) {
            List<String> names = new ArrayList<>();
            Map<String, Endpoints> before = new LinkedHashMap<>();
            for (int i = 0; i < subCases.size(); i++) {
                String ns = "case-" + i;
                names.add((String) subCases.get(i).get("name"));
                run.world.load((List<Map<String, Object>>) subCases.get(i).get("objects"), ns);
                for (String n : List.of("foo", "testing-1")) {
                    Endpoints ep = run.world.endpoints(ns, n);
                    if (ep != null) before.put(ns + "/" + n, ep);
                }
            }
            run.start();
            for (int i = 0; i < names.size(); i++) {
                String ns = "case-" + i;
                String name = names.get(i);
                String svcName = name.startsWith("TestSyncServiceExternalNameType") ? "testing-1" : "foo";
                String key = ns + "/" + svcName;
                List<Map<String, Object>> reqs = requests.get(name);
                await().atMost(CONVERGE).until(() -> run.syncs(key) > 0 && run.manager.endpointsController().queue().idle());
                Endpoints now = run.world.endpoints(ns, svcName);
                if (reqs.isEmpty()) {
                    Endpoints was = before.get(key);
                    if (was == null) {
                        assertThat(now).as(name + ": no Endpoints created").isNull();
                    } else {
                        assertThat(now.getMetadata().getResourceVersion()).as(name + ": untouched").isEqualTo(was.getMetadata().getResourceVersion());
                        assertThat(now.getSubsets()).isEqualTo(was.getSubsets());
                    }
                } else {
                    assertThat(reqs).singleElement().satisfies(r -> {
                        assertThat(r.get("verb")).isEqualTo("DELETE");
                        assertThat(r.get("path")).isEqualTo("/api/v1/namespaces/default/endpoints/foo");
                    });
                    await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> assertThat(run.world.endpoints(ns, svcName)).as(name).isNull());
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void overCapacity() {
        String dir = "controllers/07-endpoints-over-capacity";
        List<Map<String, Object>> input = Vectors.documents(dir + "/input.yaml");
        Map<String, Object> exp = Vectors.documents(dir + "/expected.yaml").get(0);
        try (Run run = new Run()) {
            run.world.load(input, null);
            run.start();
            String[] key = ((String) exp.get("endpoints")).split("/");
            Map<String, String> wantAnn = (Map<String, String>) exp.get("annotations");
            await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> {
                Endpoints ep = run.world.endpoints(key[0], key[1]);
                var ann = ep.getMetadata().getAnnotations();
                assertThat(ann).isNotNull();
                assertThat(ann.get(EndpointsController.OVER_CAPACITY)).isEqualTo(wantAnn.get(EndpointsController.OVER_CAPACITY));
                assertThat(counts(ep)).isEqualTo(List.of(exp.get("readyAddressCount"), exp.get("notReadyAddressCount")));
            });
        }
    }

    static List<Integer> counts(Endpoints ep) {
        int ready = 0, notReady = 0;
        for (EndpointSubset s : ep.getSubsets()) {
            ready += s.getAddresses() == null ? 0 : s.getAddresses().size();
            notReady += s.getNotReadyAddresses() == null ? 0 : s.getNotReadyAddresses().size();
        }
        return List.of(ready, notReady);
    }

    /** TestTruncateEndpoints' pure-function vectors, read from 07's expected.yaml. */
    @SuppressWarnings("unchecked")
    static Stream<Arguments> truncationVectors() {
        String dir = "controllers/07-endpoints-over-capacity";
        Map<String, Object> doc = Vectors.documents(dir + "/expected.yaml").stream()
                .filter(d -> "TestTruncateEndpoints".equals(d.get("name"))).findFirst().orElseThrow();
        return ((List<Map<String, List<Integer>>>) doc.get("vectors")).stream()
                .map(v -> Arguments.of(v.get("ready"), v.get("notReady"), v.get("expReady"), v.get("expNotReady")));
    }

    @ParameterizedTest(name = "ready {0} notReady {1}")
    @MethodSource("truncationVectors")
    void truncation(List<Integer> ready, List<Integer> notReady, List<Integer> expReady, List<Integer> expNotReady) {
        List<EndpointSubset> subsets = new ArrayList<>();
        int ip = 0;
        for (int i = 0; i < ready.size(); i++) {
            EndpointSubset s = new EndpointSubset();
            s.setAddresses(addresses(ready.get(i), ip));
            ip += ready.get(i);
            s.setNotReadyAddresses(addresses(notReady.get(i), ip));
            ip += notReady.get(i);
            subsets.add(s);
        }
        Truncation.truncate(subsets, 1000);
        assertThat(subsets.stream().map(s -> s.getAddresses() == null ? 0 : s.getAddresses().size()).toList()).isEqualTo(expReady);
        assertThat(subsets.stream().map(s -> s.getNotReadyAddresses() == null ? 0 : s.getNotReadyAddresses().size()).toList())
                .isEqualTo(expNotReady);
    }

    private static List<EndpointAddress> addresses(int n, int from) {
        List<EndpointAddress> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EndpointAddress a = new EndpointAddress();
            a.setIp("10." + ((from + i) >> 16 & 255) + "." + ((from + i) >> 8 & 255) + "." + ((from + i) & 255));
            l.add(a);
        }
        return l;
    }
}
