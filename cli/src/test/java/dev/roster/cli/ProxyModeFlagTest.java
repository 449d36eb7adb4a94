package dev.roster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code roster up --proxy-mode} and {@code --proxy-netns}: checked before anything starts. */
class ProxyModeFlagTest {
    @ParameterizedTest
    @CsvSource({
            "iptables, '', --proxy-mode iptables needs --proxy-netns NAME",
            "nftables, '', --proxy-mode nftables needs --proxy-netns NAME",
            "userspace, some-ns, --proxy-netns is for --proxy-mode iptables or nftables, not userspace",
            "iptables, roster-no-such-ns, network namespace \"roster-no-such-ns\" does not exist",
            "ipvs, '', Invalid value for option '--proxy-mode'"})
    void badProxyFlagsAreAOneLineError(String mode, String netns, String message) throws Exception {
        Path dir = Files.createTempDirectory("roster-proxy-mode");
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Main()).setErr(new PrintWriter(err))
                .setExecutionExceptionHandler((e, c, parsed) -> {
                    c.getErr().println("roster: " + e.getMessage());
                    return 1;
                });
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("up", "--proxy-mode", mode,
                "--data-dir", dir.toString(), "--port", "0", "--kubeconfig", dir.resolve("kc").toString()));
        if (!netns.isEmpty()) args.addAll(java.util.List.of("--proxy-netns", netns));
        int code = cmd.execute(args.toArray(String[]::new));
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains(message);
        assertThat(dir.resolve("roster.db")).doesNotExist(); // nothing was started
    }
}
