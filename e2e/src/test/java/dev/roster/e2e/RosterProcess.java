package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.roster.apiserver.pki.Credential;
import dev.roster.apiserver.pki.Pem;
import dev.roster.apiserver.pki.TlsContexts;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code ./roster up} child process for end-to-end tests.
 *
 * <p>Runs the launcher from the repository root (found by walking up from the working directory to the directory
 * holding both {@code roster} and {@code pom.xml}) with {@code --port 0 --data-dir <temp> --kubeconfig
 * <temp>/kubeconfig}, waits until {@code GET /readyz} answers {@code ok} over HTTPS (trusting the CA in the kubeconfig)
 * on the port written into the kubeconfig, and
 * stops it with SIGTERM, asserting it exits within 10 s. {@link #restart()} and a start after {@link #kill9()} reuse
 * the same data directory and the same port, so clients configured before keep working.
 *
 * <p>As a JUnit 5 extension ({@code @RegisterExtension static final RosterProcess roster = new RosterProcess();}) it
 * starts once before all tests of the class and stops after them: one server per test class keeps the suite fast.
 */
public final class RosterProcess implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    /** How long a started roster may take to answer /readyz; the launcher's first build gets {@link #BUILD_WAIT}. */
    static final Duration START_WAIT = Duration.ofSeconds(30);
    static final Duration BUILD_WAIT = Duration.ofMinutes(5);
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final Pattern SERVER = Pattern.compile("(?m)^\\s*server:\\s*(\\S+)\\s*$");

    private static final Pattern CA = Pattern.compile("(?m)^\\s*certificate-authority-data:\\s*(\\S+)\\s*$");
    private static final Pattern CERT = Pattern.compile("(?m)^\\s*client-certificate-data:\\s*(\\S+)\\s*$");

    private HttpClient http;
    private final List<String> extraArgs;
    private Path base;
    private Process process;
    private URI url;
    private int port;
    private int starts;

    public RosterProcess() {
        this(new String[0]);
    }

    /** A roster whose {@code up} also gets {@code extraUpArgs} (e.g. {@code --proxy-mode iptables}). */
    public RosterProcess(String... extraUpArgs) {
        this.extraArgs = List.of(extraUpArgs);
    }

    /** Starts a roster on a fresh temporary data directory. */
    public static RosterProcess started() {
        RosterProcess r = new RosterProcess();
        r.start();
        return r;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts roster: the first time on a new data dir and a free port, later on the same data dir and port. */
    public synchronized void start() {
        if (process != null && process.isAlive()) throw new IllegalStateException("roster is already running");
        try {
            if (base == null) base = Files.createTempDirectory("roster-e2e-");
            Files.deleteIfExists(kubeconfig());
            url = null;
            List<String> cmd = new ArrayList<>(List.of(launcher().toString(), "up",
                    "--port", Integer.toString(port), "--data-dir", base.toString(), "--kubeconfig", kubeconfig().toString()));
            cmd.addAll(extraArgs);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(repoRoot().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
            Files.writeString(log(), "=== start " + (++starts) + ": " + String.join(" ", cmd) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    private void awaitReady() {
        long t0 = System.nanoTime();
        while (true) {
            Duration waited = Duration.ofNanos(System.nanoTime() - t0);
            Duration limit = logText().contains("roster: building") ? BUILD_WAIT : START_WAIT;
            if (!process.isAlive()) {
                throw new IllegalStateException("roster exited with " + process.exitValue() + " before it was ready\n" + logTail());
            }
            if (waited.compareTo(limit) > 0) {
                process.destroyForcibly();
                throw new IllegalStateException("roster not ready after " + waited.toSeconds() + " s\n" + logTail());
            }
            if (url == null) readKubeconfig();
            if (url != null && "ok".equals(readyz())) return;
            sleep(50);
        }
    }

    private void readKubeconfig() {
        if (!Files.exists(kubeconfig())) return;
        try {
            Matcher m = SERVER.matcher(Files.readString(kubeconfig()));
            if (!m.find()) return;
            URI u = URI.create(m.group(1));
            http = http(Files.readString(kubeconfig()));
            if (port != 0 && u.getPort() != port) {
                throw new IllegalStateException("roster restarted on port " + u.getPort() + ", asked for " + port);
            }
            url = u;
            port = u.getPort();
        } catch (IOException e) {
            // written concurrently: try again
        }
    }

    /** The body of GET /readyz, or null while the server does not answer. */
    String readyz() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/readyz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * SIGTERM; asserts roster exits within 10 s and returns its exit status (not asserted here: see
     * {@code RosterProcessTest#sigtermExitStatusIsClean}), or -1 when it was not running.
     */
    public synchronized int stop() {
        if (process == null || !process.isAlive()) return -1;
        process.destroy();
        boolean exited = waitFor(process, STOP_WAIT);
        if (!exited) process.destroyForcibly();
        assertThat(exited).as("roster exits within %s of SIGTERM\n%s", STOP_WAIT, logTail()).isTrue();
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs, whatever was not durable is lost. */
    public synchronized void kill9() {
        if (process == null) return;
        process.destroyForcibly();
        assertThat(waitFor(process, STOP_WAIT)).as("roster dies on SIGKILL").isTrue();
    }

    /** Stops (SIGTERM) if running, then starts again on the same data directory and port. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Stops roster (asserting a clean SIGTERM exit) and deletes its data directory. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            deleteTree(base);
            base = null;
        }
    }

    /**
     * An HTTP client that talks to roster as the kubeconfig's user does: over TLS, trusting the cluster CA, with the
     * admin's client certificate. Made again on each start (a new data directory would have a new CA).
     */
    public HttpClient http() { return http; }

    private HttpClient http(String kubeconfig) throws IOException {
        try {
            X509Certificate ca = Pem.readCertificate(data(CA, kubeconfig));
            // the kubeconfig's key is SEC 1 ("EC PRIVATE KEY"); the same key is in the data dir as PKCS#8
            Path keyFile = kubeconfig().resolveSibling("pki/clients/admin.key");
            Credential admin = new Credential(Pem.readPrivateKey(Files.readString(keyFile), "EC"), Pem.readCertificate(data(CERT, kubeconfig)));
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(TlsContexts.of(admin, ca)).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the kubeconfig's certificates do not load", e);
        }
    }

    private static String data(Pattern field, String kubeconfig) {
        Matcher m = field.matcher(kubeconfig);
        if (!m.find()) throw new IllegalStateException("the kubeconfig has no " + field.pattern());
        return new String(java.util.Base64.getDecoder().decode(m.group(1)), java.nio.charset.StandardCharsets.US_ASCII);
    }

    public URI url() { return url; }
    public int port() { return port; }
    public Path dataDir() { return base; }
    public Path kubeconfig() { return base.resolve("kubeconfig"); }
    public Path log() { return base.resolve("roster.log"); }
    public boolean isAlive() { return process != null && process.isAlive(); }
    public long pid() { return process.pid(); }
    Process process() { return process; }

    public String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log()) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public String logTail() {
        String[] lines = logText().split("\n");
        return "--- roster log (" + log() + "), last lines ---\n"
                + String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }

    /** The directory that holds the {@code roster} launcher and the root pom, from the working directory upwards. */
    public static Path repoRoot() {
        String override = System.getProperty("roster.repo");
        if (override != null && !override.isBlank()) return Path.of(override).toAbsolutePath();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("roster")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
        }
        throw new IllegalStateException("no directory with 'roster' and 'pom.xml' above " + Path.of("").toAbsolutePath());
    }

    static Path launcher() {
        return repoRoot().resolve("roster");
    }

    private static boolean waitFor(Process p, Duration d) {
        try {
            return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }
}
