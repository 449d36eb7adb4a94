package dev.roster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code roster up --proxy-mode}: checked before anything starts. */
class ProxyModeFlagTest {
    @ParameterizedTest
    @CsvSource({
            "iptables, --proxy-mode iptables is not available yet; use userspace or none",
            "nftables, --proxy-mode nftables is not available yet; use userspace or none",
            "ipvs, Invalid value for option '--proxy-mode'"})
    void unavailableOrUnknownModesAreAOneLineError(String mode, String message) throws Exception {
        Path dir = Files.createTempDirectory("roster-proxy-mode");
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Main()).setErr(new PrintWriter(err))
                .setExecutionExceptionHandler((e, c, parsed) -> {
                    c.getErr().println("roster: " + e.getMessage());
                    return 1;
                });
        int code = cmd.execute("up", "--proxy-mode", mode, "--data-dir", dir.toString(), "--port", "0",
                "--kubeconfig", dir.resolve("kc").toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains(message);
        assertThat(dir.resolve("roster.db")).doesNotExist(); // nothing was started
    }
}
