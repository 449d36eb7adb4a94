package dev.roster.runtime.net;

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
        NetNs ns = Scratch.namespace("netns");
        try {
            ExecResult links = ns.run(List.of("ip", "-o", "link"));
            assertThat(links.ok()).isTrue();
            // a fresh namespace has only its loopback
            assertThat(links.stdout().strip().split("\n")).hasSize(1).allMatch(l -> l.contains("lo:"));
            ExecResult cat = ns.run(List.of("cat"), "hello\n");
            assertThat(cat.stdout()).isEqualTo("hello\n");
            ExecResult bad = ns.run(List.of("sh", "-c", "echo oops >&2; exit 3"));
            assertThat(bad.exitCode()).isEqualTo(3);
            assertThat(bad.stderr()).isEqualTo("oops\n");
            assertThat(NetNs.existing(ns.name()).name()).isEqualTo(ns.name());
        } finally {
            ns.delete();
        }
    }

    @Test
    void aForkedCommandSeesTheNamespacesNetworkAndTheHostsNamespaceNames() {
        NetNs ns = Scratch.namespace("forked");
        NetNs made = NetNs.named(ns.name() + "-made");
        try {
            // "ip netns add" from inside reaches the host's /run/netns (under "ip netns exec" it would stay private)
            ExecResult r = ns.runForked(List.of("sh", "-c", "ip -o link; ip netns add " + made.name()), null);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout().strip().split("\n")).hasSize(1).allMatch(l -> l.contains("lo:"));
            assertThat(made.exists()).isTrue();
            ExecResult cat = ns.runForked(List.of("cat"), "hello\n");
            assertThat(cat.stdout()).isEqualTo("hello\n");
        } finally {
            made.delete();
            ns.delete();
        }
    }

    @Test
    void deleteRemovesTheNamespace() {
        NetNs ns = Scratch.namespace("delete");
        assertThat(ns.exists()).isTrue();
        ns.delete();
        assertThat(ns.exists()).isFalse();
        ns.delete(); // a second delete is harmless
    }
}
