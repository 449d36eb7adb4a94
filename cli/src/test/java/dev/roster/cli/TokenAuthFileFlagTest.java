package dev.roster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code roster up --token-auth-file}: a file that cannot be read stops the start with one line, before anything runs. */
class TokenAuthFileFlagTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "t1,alice         | line 1: must have at least 3 columns (token, user name, user uid), found 2",
        "t1,alice,1\\nt1,bob,2 | line 2: duplicate token",
        "<missing>        | cannot read token file"})
    void aBadTokenFileIsAOneLineErrorAndNothingStarts(String content, String message) throws Exception {
        Path dir = Files.createTempDirectory("roster-token-file");
        Path file = dir.resolve("tokens.csv");
        if (!content.equals("<missing>")) Files.writeString(file, content.replace("\\n", "\n") + "\n");
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Main()).setErr(new PrintWriter(err))
                .setExecutionExceptionHandler((e, c, parsed) -> {
                    c.getErr().println("roster: " + e.getMessage());
                    return 1;
                });
        int code = cmd.execute("up", "--token-auth-file", file.toString(), "--data-dir", dir.toString(), "--port", "0",
                "--kubeconfig", dir.resolve("kc").toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).startsWith("roster: ").contains(message).hasLineCount(1);
        assertThat(dir.resolve("roster.db")).doesNotExist(); // nothing was started
    }
}
