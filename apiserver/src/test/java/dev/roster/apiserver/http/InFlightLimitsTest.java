package dev.roster.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InFlightLimitsTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                // client, long-running?, granted? — limits: 2 requests, 1 long-running per client
                Arguments.of(List.of("a r", "a r", "a r"), List.of(true, true, false)),
                Arguments.of(List.of("a w", "a w", "a r"), List.of(true, false, true)),
                Arguments.of(List.of("a r", "a r", "b r", "b r", "b w"), List.of(true, true, true, true, true)),
                Arguments.of(List.of("a w", "b w", "a w"), List.of(true, true, false)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void eachClientHasItsOwnCounts(List<String> requests, List<Boolean> granted) {
        InFlightLimits limits = new InFlightLimits(2, 1);
        List<Boolean> got = new ArrayList<>();
        for (String r : requests) got.add(limits.tryAcquire(r.split(" ")[0], r.endsWith("w")) != null);
        assertThat(got).isEqualTo(granted);
    }

    @Test
    void closingGivesThePlaceBackOnceAndForgetsIdleClients() {
        InFlightLimits limits = new InFlightLimits(1, 1);
        InFlightLimits.Slot s = limits.tryAcquire("a", false);
        assertThat(limits.tryAcquire("a", false)).isNull();
        s.close();
        s.close(); // twice is once
        assertThat(limits.clients()).isZero();
        InFlightLimits.Slot again = limits.tryAcquire("a", false);
        assertThat(again).isNotNull();
        assertThat(limits.tryAcquire("a", false)).isNull();
    }

    static Stream<Arguments> longRunning() {
        return Stream.of(
                Arguments.of("/api/v1/pods", "watch=true", true),
                Arguments.of("/api/v1/pods", "watch=0", false),
                Arguments.of("/api/v1/watch/pods", "", true),
                Arguments.of("/api/v1/namespaces/d/pods/p/log", "", true),
                Arguments.of("/api/v1/namespaces/d/pods/p/exec", "", true),
                Arguments.of("/api/v1/namespaces/d/pods/p/status", "", false));
    }

    @ParameterizedTest
    @MethodSource("longRunning")
    void longRunningRequestsAreUpstreamsSubresourcesAndWatches(String path, String query, boolean expected) {
        java.util.Map<String, List<String>> q = new java.util.HashMap<>();
        if (!query.isEmpty()) q.put(query.split("=")[0], List.of(query.split("=")[1]));
        assertThat(new RestRequest("GET", path, q, h -> null, () -> new byte[0]).isLongRunning()).isEqualTo(expected);
    }
}
