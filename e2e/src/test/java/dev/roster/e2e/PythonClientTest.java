package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official Python client (Debian's python3-kubernetes, installed by run-tests) drives the seed's flow:
 * create, watch Endpoints while scaling, list with selectors and paging, a 409 on a stale update, delete with
 * propagation, namespace deletion. Its watch sends {@code watch=True}, which upstream reads as true.
 */
class PythonClientTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    @Test
    void seedFlowThroughTheOfficialPythonClient() throws Exception {
        Path script = Files.createTempFile("seed_flow", ".py");
        try (var in = PythonClientTest.class.getResourceAsStream("/python/seed_flow.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(python(), script.toString(), roster.kubeconfig().toString(), "python-flow")
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) p.destroyForcibly();
        assertThat(done).as("the script finished in time:\n" + out).isTrue();
        assertThat(p.exitValue()).as(out + "\n" + roster.logTail()).isZero();
        assertThat(out.lines().filter(l -> l.startsWith("ok ")).map(l -> l.replaceAll(" \\(.*", "")).toList())
                .isEqualTo(List.of("ok create deployment and service", "ok watch endpoints while scaling",
                        "ok list pods by label, one a page", "ok 409 on a stale update",
                        "ok delete with foreground propagation", "ok namespace deletion"));
        Files.deleteIfExists(script);
    }

    /**
     * The python3 that has Debian's python3-kubernetes: the one on PATH when it can import it, else the
     * system's own (a pyenv or venv python on PATH does not see Debian's packages).
     */
    static String python() throws Exception {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import kubernetes").redirectErrorStream(true).start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) return candidate;
            } catch (java.io.IOException notThere) {
                // try the next
            }
        }
        throw new AssertionError("no python3 can import the official client: install python3-kubernetes (./run-tests does, as root)");
    }
}
