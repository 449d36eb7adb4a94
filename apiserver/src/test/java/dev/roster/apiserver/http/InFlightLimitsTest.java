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

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "/api/v1/pods                    | watch | true  | true",
        "/api/v1/pods                    | watch | 0     | false",
        "/api/v1/watch/pods              | x     | y     | true",
        "/api/v1/namespaces/d/pods/p/log | x     | y     | true",
        "/api/v1/namespaces/d/pods/p/exec | x    | y     | true",
        "/api/v1/namespaces/d/pods/p/status | x  | y     | false"})
    void longRunningRequestsAreUpstreamsSubresourcesAndWatches(String path, String param, String value, boolean expected) {
        RestRequest r = new RestRequest("GET", path, java.util.Map.of(param, List.of(value)), h -> null, () -> new byte[0]);
        assertThat(r.isLongRunning()).isEqualTo(expected);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "system:kube-scheduler | 127.0.0.1 | user:system:kube-scheduler",
        "system:node:n1        | 127.0.0.1 | user:system:node:n1",
        "                      | 127.0.0.1 | address:127.0.0.1",
        "                      | ::1       | address:0:0:0:0:0:0:0:1"})
    void limitsCountAgainstTheUserAndOnlyAnonymousRequestsAgainstTheAddress(String user, String address, String key) {
        dev.roster.apiserver.auth.UserInfo who = user == null ? null : new dev.roster.apiserver.auth.UserInfo(user, List.of());
        assertThat(ClientKey.of(who, new java.net.InetSocketAddress(address, 40000))).isEqualTo(key);
    }
}
