package dev.roster.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BalancerTest {
    static final Backend READY_A = new Backend("127.0.0.10", 80, true, true, false);
    static final Backend READY_B = new Backend("127.0.0.11", 80, true, true, false);
    static final Backend UNREADY = new Backend("127.0.0.12", 80, false, false, false);
    static final Backend DRAINING = new Backend("127.0.0.13", 80, false, true, true);
    static final Backend GONE = new Backend("127.0.0.14", 80, false, false, true);

    static Stream<Arguments> usableCases() {
        return Stream.of(
                Arguments.of(List.of(READY_A, READY_B, UNREADY, DRAINING), List.of(READY_A, READY_B)),
                Arguments.of(List.of(UNREADY, DRAINING, GONE), List.of(DRAINING)),
                Arguments.of(List.of(UNREADY, GONE), List.of()),
                Arguments.of(List.of(), List.of()));
    }

    @ParameterizedTest
    @MethodSource("usableCases")
    void readyFirstThenServingTerminating(List<Backend> all, List<Backend> expected) {
        assertThat(Balancer.usable(all)).containsExactlyElementsOf(expected);
    }

    @Test
    void affinityHoldsUntilTheTimeoutThenPicksAgain() throws Exception {
        AtomicLong now = new AtomicLong();
        Balancer b = new Balancer(now::get);
        List<Backend> many = List.of(READY_A, READY_B, new Backend("127.0.0.20", 80, true, true, false),
                new Backend("127.0.0.21", 80, true, true, false));
        b.update(many, 10);
        InetAddress client = InetAddress.getByName("127.0.0.1");
        Backend first = b.pick(client);
        for (int i = 0; i < 50; i++) {
            now.addAndGet(9_000_000_000L / 50);
            assertThat(b.pick(client)).isEqualTo(first);
        }
        // idle for longer than the timeout: free choice again (over many tries, another endpoint shows up)
        Set<Backend> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            now.addAndGet(11_000_000_000L);
            seen.add(b.pick(client));
        }
        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    void anEndpointThatLeavesLosesItsStickyClients() throws Exception {
        Balancer b = new Balancer(() -> 0);
        b.update(List.of(READY_A), 100);
        InetAddress client = InetAddress.getByName("127.0.0.1");
        assertThat(b.pick(client)).isEqualTo(READY_A);
        b.update(List.of(READY_B), 100);
        assertThat(b.pick(client)).isEqualTo(READY_B);
        b.update(List.of(), 100);
        assertThat(b.pick(client)).isNull();
    }

    @Test
    void aRetryAvoidsTheEndpointThatFailed() throws Exception {
        Balancer b = new Balancer();
        b.update(List.of(READY_A, READY_B), 0);
        InetAddress client = InetAddress.getByName("127.0.0.1");
        for (int i = 0; i < 50; i++) assertThat(b.pick(client, READY_A)).isEqualTo(READY_B);
    }
}
