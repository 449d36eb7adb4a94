package dev.roster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PodIpamTest {
    @ParameterizedTest(name = "{0}: first {1}, capacity {2}")
    @CsvSource({
            "127.244.1.0/24, 127.244.1.2, 253",
            "10.244.0.0/16,  10.244.0.2,  65533",
            "10.0.0.8/29,    10.0.0.10,   5",
            "10.0.0.9/29,    10.0.0.10,   5",
    })
    void firstAddressAndCapacity(String cidr, String first, int capacity) {
        PodIpam ipam = new PodIpam(cidr);
        assertThat(ipam.allocate("a")).isEqualTo(first);
        for (int i = 1; i < capacity; i++) ipam.allocate("p" + i);
        assertThatThrownBy(() -> ipam.allocate("one-too-many")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void addressesGoRoundRobinSoAReleasedOneIsNotReusedAtOnce() {
        PodIpam ipam = new PodIpam("10.0.0.8/29"); // .10 … .14
        List<String> ips = new ArrayList<>();
        for (String o : List.of("a", "b", "c")) ips.add(ipam.allocate(o));
        assertThat(ips).containsExactly("10.0.0.10", "10.0.0.11", "10.0.0.12");
        assertThat(ipam.allocate("b")).as("same owner, same address").isEqualTo("10.0.0.11");
        ipam.release("b");
        assertThat(ipam.allocate("d")).as("after the last one given, not the freed one").isEqualTo("10.0.0.13");
        assertThat(ipam.allocate("e")).isEqualTo("10.0.0.14");
        assertThat(ipam.allocate("f")).as("wraps around to the free one").isEqualTo("10.0.0.11");
        assertThat(ipam.allocated()).isEqualTo(5);
    }

    @ParameterizedTest(name = "reserve {0} -> {1}")
    @CsvSource({
            "127.244.1.7,   true",
            "127.244.1.1,   false",
            "127.244.1.255, false",
            "127.244.2.7,   false",
            "not-an-ip,     false",
    })
    void reserveKeepsAnAddressAfterRestart(String ip, boolean ok) {
        PodIpam ipam = new PodIpam("127.244.1.0/24");
        assertThat(ipam.reserve("x", ip)).isEqualTo(ok);
        if (ok) {
            assertThat(ipam.reserve("y", ip)).as("taken").isFalse();
            assertThat(ipam.allocate("x")).isEqualTo(ip);
        }
    }
}
