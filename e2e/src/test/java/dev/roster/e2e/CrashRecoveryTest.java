package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every write roster acknowledged (201) survives a SIGKILL, with the same resourceVersion; revisions keep growing.
 * Container processes the killed roster left running are stopped when it starts again.
 */
class CrashRecoveryTest {
    private static final Pattern RV = Pattern.compile("\"resourceVersion\"\\s*:\\s*\"(\\d+)\"");
    private static HttpResponse<String> post(RosterProcess roster, String name) throws Exception {
        return roster.http().send(HttpRequest.newBuilder(roster.url().resolve("/api/v1/namespaces/default/configmaps"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
                        + name + "\"},\"data\":{\"n\":\"" + name + "\"}}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long rv(String json) {
        Matcher m = RV.matcher(json);
        assertThat(m.find()).as("resourceVersion in %s", json).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    @Timeout(120)
    void acknowledgedWritesSurviveKill9() throws Exception {
        try (RosterProcess roster = RosterProcess.started()) {
            URI base = roster.url();
            Map<String, Long> acked = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        HttpResponse<String> r = post(roster, "crash-" + i);
                        if (r.statusCode() == 201) acked.put("crash-" + i, rv(r.body()));
                    } catch (Exception e) {
                        return; // the server died mid-request: that write was never acknowledged
                    }
                }
            });
            long t0 = System.nanoTime();
            while (acked.size() < 200 && System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos()) Thread.sleep(10);
            roster.kill9();
            stop.set(true);
            writer.join(10_000);
            assertThat(acked).as("writes acknowledged before the kill").hasSizeGreaterThan(20);

            roster.start();
            for (Map.Entry<String, Long> e : acked.entrySet()) {
                HttpResponse<String> r = roster.http().send(HttpRequest.newBuilder(base.resolve(
                        "/api/v1/namespaces/default/configmaps/" + e.getKey())).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("acknowledged %s after the crash: %s", e.getKey(), r.body()).isEqualTo(200);
                assertThat(rv(r.body())).as("resourceVersion of %s", e.getKey()).isEqualTo(e.getValue());
            }
            long maxAcked = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            HttpResponse<String> next = post(roster, "after-crash");
            assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
            assertThat(rv(next.body())).isGreaterThan(maxAcked);
        }
    }

    @Test
    @Timeout(120)
    void containerProcessesOfAKilledRosterAreStoppedWhenItStartsAgain() throws Exception {
        try (RosterProcess roster = RosterProcess.started()) {
            Kubectl k = Kubectl.of("1.33", roster);
            // a number of seconds no other test uses, so the process can be told apart on this machine
            String marker = Long.toString(600_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000));
            k.ok("run", "sleeper", "--image=busybox", "--restart=Never", "--command", "--", "sleep", marker);
            ProcessHandle container = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> sleepProcess(marker), java.util.Optional::isPresent).orElseThrow();

            roster.kill9();
            assertThat(container.isAlive()).as("a SIGKILLed JVM cannot stop its children").isTrue();

            roster.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !container.isAlive());
        }
    }

    private static java.util.Optional<ProcessHandle> sleepProcess(String marker) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.endsWith("sleep " + marker)).orElse(false))
                .findFirst();
    }
}
