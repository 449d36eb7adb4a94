package dev.roster.node.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one probe attempt the way the kubelet does: httpGet (success on 200–399, host defaults to the pod IP,
 * {@code User-Agent: kube-probe/…}, see {@link HttpGet}), tcpSocket (the connection opens), exec (the command exits 0 within the
 * timeout). Blocking: call it off the timer thread.
 */
public final class Prober {
    static final String USER_AGENT = "kube-probe/1.33";
    private static final int MAX_OUTPUT = 10 * 1024;
    private final Dialer dialer;

    /** Probes from the JVM's own network namespace. */
    public Prober() { this(Dialer.HOST); }

    /** @param dialer where HTTP and TCP probes connect from (exec probes run where {@link Target#launcher} says) */
    public Prober(Dialer dialer) { this.dialer = dialer; }

    /**
     * Where the probed container lives: its pod IP, spec (for named ports), environment and working directory;
     * {@code launcher} goes before an exec command (entering the pod's network namespace, its mounts, and the setpriv
     * call that runs it as the container's user).
     */
    public record Target(String podIP, Container container, Map<String, String> env, Path workDir, List<String> launcher) {}

    public ProbeResult run(Probe p, Target t) {
        Duration timeout = Duration.ofSeconds(Math.max(1, p.getTimeoutSeconds() == null ? 1 : p.getTimeoutSeconds()));
        try {
            if (p.getHttpGet() != null) return httpGet(p.getHttpGet(), t, timeout);
            if (p.getTcpSocket() != null) return tcp(p.getTcpSocket(), t, timeout);
            if (p.getExec() != null) return exec(p.getExec(), t, timeout);
            if (p.getGrpc() != null) return ProbeResult.failed("gRPC probes are not supported by roster");
            return ProbeResult.failed("probe has no handler");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.failed("interrupted");
        }
    }

    private ProbeResult httpGet(HTTPGetAction a, Target t, Duration timeout) {
        String scheme = a.getScheme() == null ? "http" : a.getScheme().toLowerCase(Locale.ROOT);
        String host = a.getHost() == null || a.getHost().isEmpty() ? t.podIP() : a.getHost();
        String path = a.getPath() == null || a.getPath().isEmpty() ? "/" : a.getPath();
        if (!path.startsWith("/")) path = "/" + path;
        int port;
        try {
            port = port(a.getPort(), t.container());
        } catch (IllegalArgumentException e) {
            return ProbeResult.failed(e.getMessage());
        }
        String uri = scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path;
        Map<String, String> headers = new LinkedHashMap<>();
        if (a.getHttpHeaders() != null) {
            for (HTTPHeader h : a.getHttpHeaders()) {
                if (h.getName() != null && !h.getName().isBlank()) headers.put(h.getName(), h.getValue() == null ? "" : h.getValue());
            }
        }
        try {
            HttpGet.Response r = HttpGet.send(dialer, scheme.equals("https"), host, port, path, headers, timeout, MAX_OUTPUT);
            if (r.status() >= 200 && r.status() < 400) return ProbeResult.ok(new String(r.body(), StandardCharsets.UTF_8));
            return ProbeResult.failed("HTTP probe failed with statuscode: " + r.status());
        } catch (IOException e) {
            return ProbeResult.failed("Get \"" + uri + "\": " + describe(e));
        }
    }

    private ProbeResult tcp(TCPSocketAction a, Target t, Duration timeout) {
        String host = a.getHost() == null || a.getHost().isEmpty() ? t.podIP() : a.getHost();
        int port;
        try {
            port = port(a.getPort(), t.container());
        } catch (IllegalArgumentException e) {
            return ProbeResult.failed(e.getMessage());
        }
        try (Socket s = dialer.open().socket()) {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return ProbeResult.ok("");
        } catch (IOException e) {
            return ProbeResult.failed("dial tcp " + host + ":" + port + ": " + describe(e));
        }
    }

    private static ProbeResult exec(ExecAction a, Target t, Duration timeout) throws InterruptedException {
        List<String> cmd = a.getCommand();
        if (cmd == null || cmd.isEmpty()) return ProbeResult.failed("exec probe has no command");
        List<String> line = new java.util.ArrayList<>(t.launcher());
        line.addAll(cmd);
        ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true);
        if (t.workDir() != null) pb.directory(t.workDir().toFile());
        if (t.env() != null) {
            pb.environment().clear();
            pb.environment().putAll(t.env());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return ProbeResult.failed("exec " + cmd + ": " + describe(e));
        }
        // drain output on a virtual thread so a chatty command cannot block on a full pipe
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = p.getInputStream()) {
                byte[] buf = in.readNBytes(MAX_OUTPUT);
                synchronized (out) { out.append(new String(buf, StandardCharsets.UTF_8)); }
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the process went away
            }
        });
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return ProbeResult.failed("command " + cmd + " timed out");
        }
        reader.join(Duration.ofMillis(500));
        String output;
        synchronized (out) { output = out.toString(); }
        return p.exitValue() == 0 ? ProbeResult.ok(output)
                : ProbeResult.failed(output.isEmpty() ? "command " + cmd + " exited with " + p.exitValue() : output);
    }

    /** A probe port by number, or by the name of one of the container's ports. */
    static int port(IntOrString port, Container c) {
        if (port == null) throw new IllegalArgumentException("probe has no port");
        if (port.getIntVal() != null) return port.getIntVal();
        String name = port.getStrVal();
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException ignored) {
            // a port name
        }
        if (c.getPorts() != null) {
            for (ContainerPort p : c.getPorts()) if (name.equals(p.getName())) return p.getContainerPort();
        }
        throw new IllegalArgumentException("port \"" + name + "\" not found in container " + c.getName());
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.net.ConnectException) return "connect: connection refused";
        if (e instanceof java.net.SocketTimeoutException) {
            return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
