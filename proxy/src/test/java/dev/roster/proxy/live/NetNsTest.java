package dev.roster.proxy.live;

import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.ExecResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NetNsTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "..", "-x", "has space", "x\ny"})
    void badNamesAreRejectedBeforeAnythingRuns(String name) {
        assertThatThrownBy(() -> NetNs.named(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid network namespace name");
    }

    @Test
    void aMissingNamespaceIsReportedWithHowToCreateIt() {
        assertThatThrownBy(() -> NetNs.existing("roster-t-does-not-exist"))
                .hasMessage("network namespace \"roster-t-does-not-exist\" does not exist (create it with: ip netns add roster-t-does-not-exist)");
    }

    @Test
    void commandsRunInsideTheNamespaceWithStdinAndStderr() {
        try (TestNetNs t = TestNetNs.createOrSkip()) {
            ExecResult links = t.ns.run(List.of("ip", "-o", "link"));
            assertThat(links.ok()).isTrue();
            // a fresh namespace has only its loopback
            assertThat(links.stdout().strip().split("\n")).hasSize(1).allMatch(l -> l.contains("lo:"));
            ExecResult cat = t.ns.run(List.of("cat"), "hello\n");
            assertThat(cat.stdout()).isEqualTo("hello\n");
            ExecResult bad = t.ns.run(List.of("sh", "-c", "echo oops >&2; exit 3"));
            assertThat(bad.exitCode()).isEqualTo(3);
            assertThat(bad.stderr()).isEqualTo("oops\n");
            assertThat(NetNs.existing(t.ns.name()).name()).isEqualTo(t.ns.name());
        }
    }

    @Test
    void deleteRemovesTheNamespace() {
        TestNetNs t = TestNetNs.createOrSkip();
        assertThat(t.ns.exists()).isTrue();
        t.close();
        assertThat(t.ns.exists()).isFalse();
        t.close(); // a second delete is harmless
    }
}
