package dev.roster.proxy.live;

import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.CommandFailedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.roster.testing.Requires;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The iptables-restore kept started ahead of a sync: it must apply exactly what a fresh process would. */
class StandbyRestoreTest {
    private static String chain(String name, String... rules) {
        StringBuilder sb = new StringBuilder("*nat\n:").append(name).append(" - [0:0]\n");
        for (String r : rules) sb.append("-A ").append(name).append(' ').append(r).append('\n');
        return sb.append("COMMIT\n").toString();
    }

    /** Runs {@code test} with a fresh namespace and an applier that keeps a standby process, closed after it. */
    private static void withStandby(java.util.function.BiConsumer<TestNetNs, IptablesApplier> test) {
        try (TestNetNs t = TestNetNs.createOrSkip()) {
            IptablesApplier ipt = new IptablesApplier(t.ns, true);
            try {
                test.accept(t, ipt);
            } finally {
                ipt.close();
            }
        }
    }

    private static String natRules(IptablesApplier ipt) {
        return String.join("\n", ipt.save("nat").lines().filter(l -> l.startsWith("-A ") || l.startsWith(":KUBE")).toList());
    }

    @Test
    void restoresGoThroughAProcessStartedBeforehandOneProcessEach() {
        withStandby((t, ipt) -> {
            ipt.restore(chain("KUBE-A", "-j RETURN"));
            assertThat(ipt.usesStandby()).as("iptables here is iptables-nft with /proc/PID/syscall").isTrue();
            StandbyRestore standby = ipt.standbyForTest();
            await().atMost(Duration.ofSeconds(10)).until(() -> standby.standbyPid() > 0);
            long first = standby.standbyPid();
            assertThat(t.ns.contains(first)).isTrue();

            ipt.restore(chain("KUBE-B", "-j RETURN", "-j KUBE-A"));
            assertThat(natRules(ipt)).contains(":KUBE-A - [0:0]", ":KUBE-B - [0:0]", "-A KUBE-A -j RETURN", "-A KUBE-B -j KUBE-A");
            await().atMost(Duration.ofSeconds(10)).until(() -> standby.standbyPid() > 0 && standby.standbyPid() != first);
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(first).isEmpty());
        });
    }

    @Test
    void aChangeMadeByAnotherProcessMeanwhileIsSeen() {
        // iptables-nft's cache goes stale across COMMITs of one long-lived process; one input per process must not
        withStandby((t, ipt) -> {
            IptablesApplier other = new IptablesApplier(t.ns);
            ipt.restore(chain("KUBE-A", "-j RETURN"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ipt.standbyForTest().standbyPid() > 0);
            other.restore("*nat\n:KUBE-X - [0:0]\n-A KUBE-X -j RETURN\n-A KUBE-X -j RETURN\n-A KUBE-A -j KUBE-X\nCOMMIT\n");
            ipt.restore("*nat\n:KUBE-X - [0:0]\n-A KUBE-X -j ACCEPT\n:KUBE-A - [0:0]\nCOMMIT\n");
            assertThat(natRules(ipt)).isEqualTo(":KUBE-A - [0:0]\n:KUBE-X - [0:0]\n-A KUBE-X -j ACCEPT");
        });
    }

    @Test
    void aRefusedInputFailsWithTheToolsMessageAndChangesNothing() {
        withStandby((t, ipt) -> {
            ipt.restore(chain("KUBE-A", "-j RETURN"));
            String before = natRules(ipt);
            assertThatThrownBy(() -> ipt.restore(chain("KUBE-A", "-j ACCEPT", "-j KUBE-NO-SUCH-CHAIN")))
                    .isInstanceOf(CommandFailedException.class)
                    .hasMessageStartingWith("iptables-restore -w 5 -W 100000 --noflush --counters failed (exit ")
                    .hasMessageContaining("KUBE-NO-SUCH-CHAIN");
            assertThat(natRules(ipt)).isEqualTo(before);
            // and the next one works again
            ipt.restore(chain("KUBE-A", "-j ACCEPT"));
            assertThat(natRules(ipt)).contains("-A KUBE-A -j ACCEPT").doesNotContain("-A KUBE-A -j RETURN");
        });
    }

    @Test
    void aNamespaceCreatedAgainUnderTheSameNameGetsTheRules() {
        withStandby((t, ipt) -> {
            ipt.restore(chain("KUBE-A", "-j RETURN"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ipt.standbyForTest().standbyPid() > 0);
            long waiting = ipt.standbyForTest().standbyPid();
            t.ns.delete();
            NetNs again = NetNs.create(t.ns.name());
            assertThat(again.contains(waiting)).isFalse();
            ipt.restore(chain("KUBE-B", "-j RETURN"));
            assertThat(natRules(new IptablesApplier(again))).contains("-A KUBE-B -j RETURN");
        });
    }

    @Test
    void closeLetsTheWaitingProcessGoAndLaterRestoresStillWork() {
        try (TestNetNs t = TestNetNs.createOrSkip()) {
            IptablesApplier ipt = new IptablesApplier(t.ns, true);
            ipt.restore(chain("KUBE-A", "-j RETURN"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ipt.standbyForTest().standbyPid() > 0);
            long waiting = ipt.standbyForTest().standbyPid();
            ipt.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(waiting).isEmpty());
            assertThat(ipt.usesStandby()).isFalse();
            ipt.restore(chain("KUBE-A", "-j ACCEPT"));
            assertThat(natRules(ipt)).contains("-A KUBE-A -j ACCEPT");
        }
    }

    @Test
    void readsTheSyscallAProcessSleepsIn() {
        long nr = StandbyRestore.readSyscallNumber();
        Requires.kernelFeature("/proc/PID/syscall on a known architecture", nr >= 0);
        StandbyRestore probe = new StandbyRestore(() -> new ProcessBuilder("cat"), pid -> true, nr);
        try {
            Process cat = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> probe.sleepsReadingStdin(cat.pid()));
                Process sleeper = new ProcessBuilder(List.of("sleep", "30")).start();
                try {
                    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !probe.sleepsReadingStdin(sleeper.pid()));
                } finally {
                    sleeper.destroyForcibly();
                }
            } finally {
                cat.destroyForcibly();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
