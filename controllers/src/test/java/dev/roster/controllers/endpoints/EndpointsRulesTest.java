package dev.roster.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.controllers.endpointutil.TriggerTimeTracker;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pure rules: repacking, port resolution, pod eligibility, trigger times. */
class EndpointsRulesTest {
    /** "ip:R" or "ip:N" per address, ports as "name:port". */
    private static EndpointSubset subset(List<String> addrs, String... ports) {
        EndpointSubset s = new EndpointSubset();
        List<EndpointAddress> ready = new ArrayList<>();
        List<EndpointAddress> notReady = new ArrayList<>();
        for (String a : addrs) {
            String[] p = a.split(":");
            EndpointAddress ea = new EndpointAddress();
            ea.setIp(p[0]);
            ObjectReference r = new ObjectReference();
            r.setUid("uid-" + p[0]);
            ea.setTargetRef(r);
            (p[1].equals("R") ? ready : notReady).add(ea);
        }
        s.setAddresses(ready.isEmpty() ? null : ready);
        s.setNotReadyAddresses(notReady.isEmpty() ? null : notReady);
        List<EndpointPort> ps = new ArrayList<>();
        for (String port : ports) {
            EndpointPort ep = new EndpointPort();
            ep.setName(port.split(":")[0]);
            ep.setPort(Integer.parseInt(port.split(":")[1]));
            ep.setProtocol("TCP");
            ps.add(ep);
        }
        s.setPorts(ps.isEmpty() ? null : ps);
        return s;
    }

    private static String render(List<EndpointSubset> subsets) {
        StringBuilder sb = new StringBuilder();
        for (EndpointSubset s : subsets) {
            sb.append('{');
            if (s.getAddresses() != null) s.getAddresses().forEach(a -> sb.append(a.getIp()).append(":R "));
            if (s.getNotReadyAddresses() != null) s.getNotReadyAddresses().forEach(a -> sb.append(a.getIp()).append(":N "));
            if (s.getPorts() != null) s.getPorts().forEach(p -> sb.append(p.getName()).append(':').append(p.getPort()).append(' '));
            sb.setLength(sb.length() - 1);
            sb.append('}');
        }
        return sb.toString();
    }

    static Stream<Arguments> repackCases() {
        return Stream.of(
                Arguments.of("one port per pod merges into one subset",
                        List.of(subset(List.of("1.0.0.2:R"), "a:80"), subset(List.of("1.0.0.1:R"), "a:80")),
                        "{1.0.0.1:R 1.0.0.2:R a:80}"),
                Arguments.of("ready and not-ready of one port set share a subset",
                        List.of(subset(List.of("1.0.0.1:R"), "a:80"), subset(List.of("1.0.0.2:N"), "a:80")),
                        "{1.0.0.1:R 1.0.0.2:N a:80}"),
                Arguments.of("same addresses on two ports: one subset, ports sorted",
                        List.of(subset(List.of("1.0.0.1:R"), "b:81"), subset(List.of("1.0.0.1:R"), "a:80")),
                        "{1.0.0.1:R a:80 b:81}"),
                Arguments.of("different port numbers split subsets",
                        List.of(subset(List.of("1.0.0.1:R"), "a:8080"), subset(List.of("1.0.0.3:R"), "a:9090"),
                                subset(List.of("1.0.0.2:R"), "a:8080")),
                        "{1.0.0.1:R 1.0.0.2:R a:8080}{1.0.0.3:R a:9090}"),
                Arguments.of("not-ready wins over ready for the same address",
                        List.of(subset(List.of("1.0.0.1:R"), "a:80"), subset(List.of("1.0.0.1:N"), "a:80")),
                        "{1.0.0.1:N a:80}"),
                Arguments.of("duplicates collapse", List.of(subset(List.of("1.0.0.1:R", "1.0.0.1:R"), "a:80")),
                        "{1.0.0.1:R a:80}"),
                Arguments.of("ip order is byte-wise",
                        List.of(subset(List.of("10.1.0.9:R", "10.1.0.10:R"), "a:80")), "{10.1.0.10:R 10.1.0.9:R a:80}"),
                Arguments.of("port-less subsets survive and merge",
                        List.of(subset(List.of("1.0.0.2:R")), subset(List.of("1.0.0.1:R"))), "{1.0.0.1:R 1.0.0.2:R}"),
                Arguments.of("nothing in, nothing out", List.of(), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repackCases")
    void repack(String name, List<EndpointSubset> in, String expected) {
        assertThat(render(Repack.repack(in))).isEqualTo(expected);
    }

    private static Pod pod(String phase, boolean deleting, String ip, String ready) {
        var b = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns")
                .withDeletionTimestamp(deleting ? "2026-01-01T00:00:00Z" : null).endMetadata()
                .withNewSpec().addNewContainer().withName("c").addNewPort().withName("http").withContainerPort(8080).endPort()
                .addNewPort().withName("dns").withProtocol("UDP").withContainerPort(53).endPort().endContainer()
                .addNewInitContainer().withName("side").withRestartPolicy("Always").addNewPort().withName("metrics")
                .withContainerPort(9100).endPort().endInitContainer().endSpec()
                .withNewStatus().withPhase(phase).withPodIP(ip).endStatus();
        Pod p = b.build();
        if (ready != null) {
            p.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                    .withType("Ready").withStatus(ready).withLastTransitionTime("2026-01-01T00:00:01.500Z").build()));
        }
        return p;
    }

    static Stream<Arguments> eligibility() {
        return Stream.of(Arguments.of("Running", false, "1.1.1.1", false, true),
                Arguments.of("Pending", false, "1.1.1.1", false, true),
                Arguments.of("Running", false, null, false, false),
                Arguments.of("Succeeded", false, "1.1.1.1", true, false),
                Arguments.of("Failed", false, "1.1.1.1", true, false),
                Arguments.of("Running", true, "1.1.1.1", false, false),
                Arguments.of("Running", true, "1.1.1.1", true, true));
    }

    @ParameterizedTest(name = "phase {0} deleting {1} ip {2} includeTerminating {3} -> {4}")
    @MethodSource("eligibility")
    void shouldBeInEndpoints(String phase, boolean deleting, String ip, boolean includeTerminating, boolean expected) {
        assertThat(PodRules.shouldBeInEndpoints(pod(phase, deleting, ip, "True"), includeTerminating)).isEqualTo(expected);
    }

    @Test
    void readinessOnlyFromReadyCondition() {
        assertThat(PodRules.isReady(pod("Pending", false, "1.1.1.1", "True"))).isTrue();
        assertThat(PodRules.isReady(pod("Running", false, "1.1.1.1", "False"))).isFalse();
        assertThat(PodRules.isReady(pod("Running", false, "1.1.1.1", null))).isFalse();
    }

    static Stream<Arguments> ports() {
        return Stream.of(Arguments.of(new IntOrString(8088), "TCP", OptionalInt.of(8088)),
                Arguments.of(new IntOrString("http"), "TCP", OptionalInt.of(8080)),
                Arguments.of(new IntOrString("http"), "UDP", OptionalInt.empty()),
                Arguments.of(new IntOrString("dns"), "UDP", OptionalInt.of(53)),
                Arguments.of(new IntOrString("metrics"), "TCP", OptionalInt.of(9100)),
                Arguments.of(new IntOrString("nope"), "TCP", OptionalInt.empty()));
    }

    @ParameterizedTest(name = "targetPort {0}/{1} -> {2}")
    @MethodSource("ports")
    void findPort(IntOrString target, String protocol, OptionalInt expected) {
        ServicePort sp = new ServicePortBuilder().withPort(80).withProtocol(protocol).withTargetPort(target).build();
        assertThat(PodRules.findPort(pod("Running", false, "1.1.1.1", "True"), sp)).isEqualTo(expected);
    }

    @Test
    void triggerTimeIsEarliestChangeSinceLastSync() {
        TriggerTimeTracker t = new TriggerTimeTracker();
        Service svc = new ServiceBuilder().withNewMetadata().withName("s").withNamespace("ns")
                .withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
        Pod p = pod("Running", false, "1.1.1.1", "True");
        assertThat(t.compute("ns/s", svc, List.of(p))).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(t.compute("ns/s", svc, List.of(p))).isNull();
        p.getStatus().getConditions().get(0).setLastTransitionTime("2026-01-01T00:10:00Z");
        assertThat(t.compute("ns/s", svc, List.of(p))).isEqualTo(Instant.parse("2026-01-01T00:10:00Z"));
        t.forget("ns/s");
        assertThat(t.compute("ns/s", svc, List.of(p))).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void triggerTimeFormatIsRfc3339NanoUtc() {
        assertThat(TriggerTimeTracker.format(Instant.parse("2018-01-01T00:00:00Z"))).isEqualTo("2018-01-01T00:00:00Z");
        assertThat(TriggerTimeTracker.format(Instant.parse("2018-01-01T10:20:30.500Z"))).isEqualTo("2018-01-01T10:20:30.5Z");
        assertThat(TriggerTimeTracker.format(Instant.parse("2018-01-01T10:20:30.000000123Z")))
                .isEqualTo("2018-01-01T10:20:30.000000123Z");
    }

    @Test
    void nonHeadlessServiceWithoutPortsGetsNoAddresses() {
        Pod p = pod("Running", false, "1.1.1.1", "True");
        p.getMetadata().setUid("u1");
        Service plain = new ServiceBuilder().withNewMetadata().withName("s").withNamespace("ns").endMetadata()
                .withNewSpec().withClusterIP("10.96.0.1").endSpec().build();
        Service headless = new ServiceBuilder(plain).editSpec().withClusterIP("None").endSpec().build();
        assertThat(DesiredSubsets.compute(plain, List.of(p))).isEmpty();
        assertThat(render(DesiredSubsets.compute(headless, List.of(p)))).isEqualTo("{1.1.1.1:R}");
    }
}
