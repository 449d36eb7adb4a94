package dev.roster.controllers.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packing heuristic, case by case from upstream's endpointslice reconciler tests (TestReconcileManyPods and
 * friends, and the empty placeholder slice), on the planner alone.
 */
class SlicePlannerTest {
    static final List<EndpointPort> PORTS = List.of(new EndpointPortBuilder().withName("foo").withPort(80).withProtocol("TCP").build());
    static final OwnerReference OWNER = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service").withName("foo")
            .withUid("test-foo").withController(true).withBlockOwnerDeletion(true).build();
    static final Map<String, String> LABELS = Map.of(EndpointSliceController.SERVICE_NAME, "foo",
            EndpointSliceController.MANAGED_BY, EndpointSliceController.CONTROLLER, EndpointSliceController.HEADLESS, "");

    static SlicePlanner planner(int max) {
        return new SlicePlanner("test", "foo-", "IPv4", LABELS, OWNER, max);
    }

    static Endpoint pod(int i) {
        return new EndpointBuilder().withAddresses("10.0.%d.%d".formatted(i / 250, i % 250 + 1))
                .withNewConditions().withReady(i % 3 != 0).withServing(i % 3 != 0).withTerminating(false).endConditions()
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace("test").withName("pod" + i).withUid("uid" + i).build())
                .withNodeName("node-1").build();
    }

    static Map<String, SlicePlanner.Group> desired(int pods) {
        LinkedHashMap<String, Endpoint> eps = new LinkedHashMap<>();
        IntStream.range(0, pods).mapToObj(SlicePlannerTest::pod).forEach(e -> eps.put(SliceEndpoints.identity(e), e));
        return Map.of(SlicePlanner.portKey(PORTS), new SlicePlanner.Group(PORTS, eps));
    }

    static EndpointSlice existing(String name, IntStream pods) {
        return new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace("test").withResourceVersion("1")
                .withLabels(LABELS).withOwnerReferences(OWNER).endMetadata()
                .withAddressType("IPv4").withPorts(PORTS).withEndpoints(pods.mapToObj(SlicePlannerTest::pod).toList()).build();
    }

    static List<Integer> sizes(List<EndpointSlice> slices) {
        return slices.stream().map(s -> s.getEndpoints().size()).toList();
    }

    static Stream<Arguments> maxPerSlice() {
        return Stream.of(Arguments.of(100, List.of(100, 100, 50)), Arguments.of(50, List.of(50, 50, 50, 50, 50)),
                Arguments.of(80, List.of(80, 80, 80, 10)), Arguments.of(150, List.of(150, 100)),
                Arguments.of(250, List.of(250)), Arguments.of(500, List.of(250)));
    }

    @ParameterizedTest(name = "250 pods, max {0} per slice -> {1}")
    @MethodSource("maxPerSlice")
    void manyPodsAndNoSlicesMakeNewSlices(int max, List<Integer> expected) {
        SlicePlanner.Plan plan = planner(max).plan(desired(250), List.of());
        assertThat(plan.updates()).isEmpty();
        assertThat(plan.deletes()).isEmpty();
        assertThat(sizes(plan.creates())).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(plan.creates()).allSatisfy(s -> {
            assertThat(s.getMetadata().getGenerateName()).isEqualTo("foo-");
            assertThat(s.getMetadata().getLabels()).isEqualTo(LABELS);
            assertThat(s.getPorts()).isEqualTo(PORTS);
        });
        assertThat(plan.creates().stream().flatMap(s -> s.getEndpoints().stream()).map(e -> e.getTargetRef().getName()).distinct())
                .hasSize(250);
    }

    @Test
    void remainderGoesIntoTheFullestSliceItFits() {
        // pods 1,5,9,… (62) and 3,7,11,… (61) already in slices; 127 new: 100 to a new slice, 27 into the 62-slice
        List<EndpointSlice> slices = List.of(existing("foo.1", IntStream.iterate(1, i -> i <= 245, i -> i + 4)),
                existing("foo.2", IntStream.iterate(3, i -> i <= 243, i -> i + 4)));
        SlicePlanner.Plan plan = planner(100).plan(desired(250), slices);
        assertThat(sizes(plan.creates())).containsExactly(100);
        assertThat(plan.updates()).hasSize(1);
        assertThat(plan.updates().get(0).getMetadata().getName()).isEqualTo("foo.1");
        assertThat(sizes(plan.updates())).containsExactly(89);
        assertThat(plan.deletes()).isEmpty();
    }

    @Test
    void aRemainderThatFitsNowhereGetsItsOwnSlice() {
        List<EndpointSlice> slices = List.of(existing("foo.1", IntStream.range(0, 74)), existing("foo.2", IntStream.range(74, 148)));
        SlicePlanner.Plan plan = planner(100).plan(desired(300), slices);
        assertThat(sizes(plan.creates())).containsExactlyInAnyOrder(100, 52);
        assertThat(plan.updates()).isEmpty();
    }

    @Test
    void noPodsAndNoSlicesMakeOnePlaceholder() {
        SlicePlanner.Plan plan = planner(100).plan(Map.of(), List.of());
        assertThat(plan.creates()).hasSize(1);
        EndpointSlice p = plan.creates().get(0);
        assertThat(p.getPorts()).isEmpty();
        assertThat(p.getEndpoints()).isEmpty();
        assertThat(p.getMetadata().getGenerateName()).isEqualTo("foo-");
    }

    @Test
    void anEquivalentPlaceholderIsLeftAlone() {
        EndpointSlice placeholder = existing("foo.1", IntStream.empty());
        placeholder.setPorts(new ArrayList<>());
        assertThat(planner(100).plan(Map.of(), List.of(placeholder)).isEmpty()).isTrue();
    }

    @Test
    void aDifferentPlaceholderIsRecycledIntoAnUpdate() {
        EndpointSlice old = existing("foo.1", IntStream.empty());
        old.setPorts(new ArrayList<>());
        old.getMetadata().setLabels(Map.of(EndpointSliceController.SERVICE_NAME, "foo", EndpointSliceController.MANAGED_BY,
                EndpointSliceController.CONTROLLER));
        SlicePlanner.Plan plan = planner(100).plan(Map.of(), List.of(old));
        assertThat(plan.creates()).isEmpty();
        assertThat(plan.deletes()).isEmpty();
        assertThat(plan.updates()).hasSize(1);
        assertThat(plan.updates().get(0).getMetadata().getName()).isEqualTo("foo.1");
        assertThat(plan.updates().get(0).getMetadata().getLabels()).isEqualTo(LABELS);
    }

    @Test
    void unchangedSlicesAreNotWritten() {
        List<EndpointSlice> slices = List.of(existing("foo.1", IntStream.range(0, 100)), existing("foo.2", IntStream.range(100, 150)));
        assertThat(planner(100).plan(desired(150), slices).isEmpty()).isTrue();
    }

    @Test
    void aPodThatLeavesEmptiesItsSliceWhichIsDeleted() {
        List<EndpointSlice> slices = List.of(existing("foo.1", IntStream.range(0, 100)), existing("foo.2", IntStream.range(100, 101)));
        SlicePlanner.Plan plan = planner(100).plan(desired(100), slices);
        assertThat(plan.deletes()).extracting(s -> s.getMetadata().getName()).containsExactly("foo.2");
        assertThat(plan.creates()).isEmpty();
        assertThat(plan.updates()).isEmpty();
    }
}
