package dev.roster.controllers.endpointslicemirroring;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Desired-state and planning rules of the mirroring controller, without an API server. */
class MirrorPlannerTest {

    static Endpoints endpoints(EndpointSubset... subsets) {
        return new EndpointsBuilder().withNewMetadata().withName("db").withNamespace("ns").withUid("u1")
                .addToLabels("team", "a").addToAnnotations("note", "x")
                .addToAnnotations(MirrorPlanner.TRIGGER_TIME, "2024-01-01T00:00:00Z").endMetadata()
                .withSubsets(subsets).build();
    }

    static EndpointSubset subset(int port, List<String> ready, List<String> notReady) {
        return new EndpointSubsetBuilder()
                .withAddresses(ready.stream().map(ip -> new EndpointAddressBuilder().withIp(ip).build()).toList())
                .withNotReadyAddresses(notReady.stream().map(ip -> new EndpointAddressBuilder().withIp(ip).build()).toList())
                .addNewPort().withName("p").withPort(port).withProtocol("TCP").endPort().build();
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1,IPv4", "127.0.0.1,IPv4", "::1,IPv6", "2001:db8::5,IPv6", "::ffff:10.1.2.3,IPv4",
            "10.0.0.256,", "example.com,", "'',", "1.2.3,"})
    void addressFamilies(String ip, String family) {
        assertThat(MirrorDesired.family(ip)).isEqualTo(family);
    }

    @Test
    void readyAndNotReadyAddressesBecomeOneSlicePerFamilyAndPortSet() {
        Endpoints ep = endpoints(subset(5432, List.of("10.0.0.2", "2001:db8::1"), List.of("10.0.0.1")),
                subset(80, List.of("10.0.0.9", "bogus"), List.of()));
        MirrorDesired d = MirrorDesired.of(ep, 1000);
        assertThat(d.invalid()).isEqualTo(1);
        assertThat(d.overLimit()).isZero();
        MirrorPlanner.Plan plan = new MirrorPlanner(1000).plan(ep, d, List.of());
        assertThat(plan.updates()).isEmpty();
        assertThat(plan.deletes()).isEmpty();
        assertThat(plan.creates()).hasSize(3); // 5432/IPv4, 5432/IPv6, 80/IPv4 (80/IPv6 is empty: no slice)
        EndpointSlice v4 = plan.creates().stream()
                .filter(s -> s.getAddressType().equals("IPv4") && s.getPorts().get(0).getPort() == 5432).findFirst().orElseThrow();
        assertThat(v4.getMetadata().getGenerateName()).isEqualTo("db-");
        assertThat(v4.getMetadata().getLabels()).containsEntry("team", "a")
                .containsEntry(MirrorPlanner.SERVICE_NAME, "db").containsEntry(MirrorPlanner.MANAGED_BY, MirrorPlanner.CONTROLLER);
        assertThat(v4.getMetadata().getAnnotations()).containsOnlyKeys("note");
        assertThat(v4.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Endpoints");
            assertThat(o.getUid()).isEqualTo("u1");
            assertThat(o.getController()).isTrue();
        });
        assertThat(v4.getEndpoints()).extracting(e -> e.getAddresses().get(0), e -> e.getConditions().getReady())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.0.0.2", true), org.assertj.core.groups.Tuple.tuple("10.0.0.1", false));
        assertThat(v4.getEndpoints().get(0).getConditions().getServing()).isNull();
    }

    @Test
    void anUnnamedEndpointsPortIsMirroredWithAnEmptyName() {
        // upstream always sets the slice port's name; proxies skip slice ports that carry none
        EndpointSubset unnamed = new EndpointSubsetBuilder().addNewAddress().withIp("10.0.0.3").endAddress()
                .addNewPort().withPort(80).withProtocol("TCP").endPort().build();
        Endpoints ep = endpoints(unnamed);
        MirrorPlanner.Plan plan = new MirrorPlanner(1000).plan(ep, MirrorDesired.of(ep, 1000), List.of());
        assertThat(plan.creates()).singleElement().satisfies(s -> assertThat(s.getPorts().get(0).getName()).isEqualTo(""));
    }

    @Test
    void atMostMaxAddressesPerSubsetAreMirrored() {
        List<String> ips = IntStream.range(0, 1003).mapToObj(i -> "10.1." + (i / 250) + "." + (i % 250 + 1)).toList();
        Endpoints ep = endpoints(subset(80, ips, List.of()));
        MirrorDesired d = MirrorDesired.of(ep, 1000);
        assertThat(d.overLimit()).isEqualTo(3);
        MirrorPlanner.Plan plan = new MirrorPlanner(1000).plan(ep, d, List.of());
        assertThat(plan.creates()).singleElement().satisfies(s -> assertThat(s.getEndpoints()).hasSize(1000));
    }

    @Test
    void anUnchangedSliceIsNotRewrittenAndExtrasAreDeleted() {
        Endpoints ep = endpoints(subset(80, List.of("10.0.0.1"), List.of()));
        MirrorDesired d = MirrorDesired.of(ep, 1000);
        EndpointSlice first = named(new MirrorPlanner(1000).plan(ep, d, List.of()).creates().get(0), "db-aaaaa");
        EndpointSlice dup = named(new MirrorPlanner(1000).plan(ep, d, List.of()).creates().get(0), "db-bbbbb");
        MirrorPlanner.Plan plan = new MirrorPlanner(1000).plan(ep, d, List.of(first, dup));
        assertThat(plan.creates()).isEmpty();
        assertThat(plan.updates()).isEmpty();
        assertThat(plan.deletes()).extracting(s -> s.getMetadata().getName()).containsExactly("db-bbbbb");

        // a label change on the Endpoints rewrites the kept slice under its own name
        ep.getMetadata().getLabels().put("team", "b");
        plan = new MirrorPlanner(1000).plan(ep, d, List.of(first));
        assertThat(plan.updates()).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName()).isEqualTo("db-aaaaa");
            assertThat(s.getMetadata().getLabels()).containsEntry("team", "b");
        });
    }

    @Test
    void aNewPortSetReusesTheSliceOfTheOldOne() {
        Endpoints ep = endpoints(subset(80, List.of("10.0.0.1"), List.of()));
        EndpointSlice old = named(new MirrorPlanner(1000).plan(ep, MirrorDesired.of(ep, 1000), List.of()).creates().get(0), "db-aaaaa");
        Endpoints moved = endpoints(subset(8080, List.of("10.0.0.1", "10.0.0.2"), List.of()));
        MirrorPlanner.Plan plan = new MirrorPlanner(1000).plan(moved, MirrorDesired.of(moved, 1000), List.of(old));
        assertThat(plan.creates()).isEmpty();
        assertThat(plan.deletes()).isEmpty();
        assertThat(plan.updates()).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName()).isEqualTo("db-aaaaa");
            assertThat(s.getPorts().get(0).getPort()).isEqualTo(8080);
            assertThat(s.getEndpoints()).extracting(Endpoint::getAddresses).hasSize(2);
        });
    }

    @Test
    void noAddressesMeansNoSlices() {
        Endpoints ep = endpoints(subset(80, List.of("10.0.0.1"), List.of()));
        EndpointSlice old = named(new MirrorPlanner(1000).plan(ep, MirrorDesired.of(ep, 1000), List.of()).creates().get(0), "db-aaaaa");
        Endpoints empty = endpoints();
        MirrorPlanner.Plan plan = new MirrorPlanner(1000).plan(empty, MirrorDesired.of(empty, 1000), new ArrayList<>(List.of(old)));
        assertThat(plan.creates()).isEmpty();
        assertThat(plan.deletes()).extracting(s -> s.getMetadata().getName()).containsExactly("db-aaaaa");
    }

    private static EndpointSlice named(EndpointSlice s, String name) {
        s.getMetadata().setGenerateName(null);
        s.getMetadata().setName(name);
        return s;
    }
}
