package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code roster up --dataplane netns} refuses what cannot work at once, with one line and exit status 1, before
 * anything listens or any namespace exists: without root, and with flags that belong to the loopback dataplane.
 */
class NetnsDataplaneFlagsTest {
    @TempDir Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not root                 | nobody | --dataplane netns                                 | roster: --dataplane netns needs root",
        "userspace proxy          | root   | --dataplane netns --proxy-mode userspace          | roster: --dataplane netns runs kube-proxy's kernel rules on every node: --proxy-mode iptables or nftables, not userspace",
        "proxy netns              | root   | --dataplane netns --proxy-netns x                 | roster: --proxy-netns is for the loopback dataplane",
        "simulated runtime        | root   | --dataplane netns --runtime sim                   | roster: --dataplane netns runs pods as processes in their namespaces: --runtime process, not sim",
    })
    void refusedInOneLine(String what, String user, String flags, String message) throws Exception {
        Requires.root("running roster as another user, and the netns checks that follow root's");
        Requires.onPath("setpriv");
        Path data = Files.createDirectories(dir.resolve("data"));
        data.toFile().setWritable(true, false);
        dir.toFile().setWritable(true, false);
        List<String> cmd = new ArrayList<>();
        if (user.equals("nobody")) cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        cmd.addAll(List.of(RosterProcess.launcher().toString(), "up", "--port", "0", "--data-dir", data.toString(),
                "--kubeconfig", dir.resolve("kc").toString()));
        cmd.addAll(List.of(flags.split(" ")));
        KernelProxyTest.Sh r = KernelProxyTest.sh(cmd);
        assertThat(r.exit()).as(what + ": " + r.out() + r.err()).isEqualTo(1);
        assertThat(r.err().strip()).as(what).startsWith(message).doesNotContain("\n").doesNotContain("Exception");
        assertThat(NetnsDataplaneTest.RosterNamespaces.list()).as("no namespace made").isEmpty();
    }
}
