package dev.roster.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AddressPoolTest {
    @ParameterizedTest
    @CsvSource({"127.240.0.0, false", "127.240.0.1, true", "127.240.255.254, true", "127.240.255.255, false",
            "127.241.0.1, false", "10.0.0.1, false", "fd00::1, false"})
    void containsOnlyUsableAddresses(String ip, boolean inside) {
        assertThat(new AddressPool("127.240.0.0/16").contains(ip)).isEqualTo(inside);
    }

    @Test
    void allocatesInOrderReusesReleasedAndRunsOut() {
        AddressPool p = new AddressPool("127.240.9.0/30"); // two usable addresses
        assertThat(p.allocate("a")).isEqualTo("127.240.9.1");
        assertThat(p.allocate("a")).isEqualTo("127.240.9.1");
        assertThat(p.allocate("b")).isEqualTo("127.240.9.2");
        assertThat(p.allocate("c")).isNull();
        p.release("a");
        assertThat(p.allocate("c")).isEqualTo("127.240.9.1");
        assertThat(p.claim("d", "127.240.9.2")).isFalse();
        assertThat(p.claim("b", "127.240.9.2")).isTrue();
        assertThat(p.used()).isEqualTo(2);
    }
}
