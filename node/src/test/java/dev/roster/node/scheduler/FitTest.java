package dev.roster.node.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FitTest {
    static Node node(boolean ready, boolean unschedulable, Map<String, String> labels, String taintKey, String taintValue,
            String effect) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName("n").withLabels(labels).endMetadata()
                .withNewSpec().withUnschedulable(unschedulable).endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addToAllocatable("pods", new Quantity("2")).endStatus();
        if (taintKey != null) {
            b.editSpec().addNewTaint().withKey(taintKey).withValue(taintValue).withEffect(effect).endTaint().endSpec();
        }
        return b.build();
    }

    static Pod pod(Map<String, String> selector, List<Toleration> tolerations) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().withNodeSelector(selector)
                .withTolerations(tolerations).endSpec().build();
    }

    static Toleration tol(String key, String op, String value, String effect) {
        return new Toleration(effect, key, op, null, value);
    }

    static Stream<Arguments> cases() {
        Map<String, String> ssd = Map.of("disk", "ssd");
        return Stream.of(
                Arguments.of("plain node", pod(null, null), node(true, false, Map.of(), null, null, null), 0, null),
                Arguments.of("not ready", pod(null, null), node(false, false, Map.of(), null, null, null), 0,
                        "node(s) had untolerated taint {node.kubernetes.io/not-ready: }"),
                Arguments.of("not ready tolerated", pod(null, List.of(tol("node.kubernetes.io/not-ready", "Exists", null, "NoSchedule"))),
                        node(false, false, Map.of(), null, null, null), 0, null),
                Arguments.of("cordoned", pod(null, null), node(true, true, Map.of(), null, null, null), 0, NodeFit.UNSCHEDULABLE),
                Arguments.of("selector matches", pod(ssd, null), node(true, false, ssd, null, null, null), 0, null),
                Arguments.of("selector misses", pod(ssd, null), node(true, false, Map.of("disk", "hdd"), null, null, null), 0,
                        NodeFit.SELECTOR),
                Arguments.of("NoSchedule taint", pod(null, null), node(true, false, Map.of(), "dedicated", "gpu", "NoSchedule"), 0,
                        "node(s) had untolerated taint {dedicated: gpu}"),
                Arguments.of("NoExecute taint", pod(null, null), node(true, false, Map.of(), "dedicated", "gpu", "NoExecute"), 0,
                        "node(s) had untolerated taint {dedicated: gpu}"),
                Arguments.of("PreferNoSchedule ignored", pod(null, null),
                        node(true, false, Map.of(), "dedicated", "gpu", "PreferNoSchedule"), 0, null),
                Arguments.of("Equal toleration", pod(null, List.of(tol("dedicated", "Equal", "gpu", "NoSchedule"))),
                        node(true, false, Map.of(), "dedicated", "gpu", "NoSchedule"), 0, null),
                Arguments.of("Equal toleration, other value", pod(null, List.of(tol("dedicated", "Equal", "cpu", ""))),
                        node(true, false, Map.of(), "dedicated", "gpu", "NoSchedule"), 0,
                        "node(s) had untolerated taint {dedicated: gpu}"),
                Arguments.of("Exists everything", pod(null, List.of(tol(null, "Exists", null, null))),
                        node(true, false, Map.of(), "dedicated", "gpu", "NoExecute"), 0, null),
                Arguments.of("wrong effect", pod(null, List.of(tol("dedicated", "Exists", null, "NoSchedule"))),
                        node(true, false, Map.of(), "dedicated", "gpu", "NoExecute"), 0,
                        "node(s) had untolerated taint {dedicated: gpu}"),
                Arguments.of("full", pod(null, null), node(true, false, Map.of(), null, null, null), 2, NodeFit.TOO_MANY_PODS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nodeFit(String name, Pod pod, Node node, int podsOnNode, String reason) {
        assertThat(NodeFit.check(pod, node, podsOnNode)).isEqualTo(reason);
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of(0, List.of(), "no nodes available to schedule pods"),
                Arguments.of(3, List.of(NodeFit.SELECTOR, "node(s) had untolerated taint {a: }", NodeFit.SELECTOR),
                        "0/3 nodes are available: 1 node(s) had untolerated taint {a: }, 2 node(s) didn't match Pod's node "
                                + "affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
                Arguments.of(2, List.of(NodeFit.TOO_MANY_PODS, NodeFit.UNSCHEDULABLE),
                        "0/2 nodes are available: 1 Too many pods, 1 node(s) were unschedulable. preemption: 0/2 nodes are "
                                + "available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("messages")
    void fitErrorMessage(int nodes, List<String> reasons, String message) {
        assertThat(FitError.message(nodes, reasons)).isEqualTo(message);
    }
}
