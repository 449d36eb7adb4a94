package dev.roster.node.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One HTTP/1.1 GET with {@code Connection: close} over a socket from a {@link Dialer}, as a probe sends it. The JDK's
 * HttpClient opens its sockets on threads of its own, where the dialer's namespace would be lost; a probe needs no
 * more than a request line, headers, a status and the start of the body. HTTPS skips certificate checks, as the
 * kubelet's probes do. Redirects are not followed (3xx counts as success).
 */
final class HttpGet {
    /** The status and the body's first {@code maxBody} bytes. */
    record Response(int status, byte[] body) {}

    private static final int MAX_HEAD = 64 * 1024;

    private HttpGet() {}

    /**
     * @param headers sent after the defaults (Host, User-Agent, Accept), replacing any of the same name
     */
    static Response send(Dialer dialer, boolean https, String host, int port, String path, Map<String, String> headers,
            Duration timeout, int maxBody) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String[]> all = new LinkedHashMap<>();
        put(all, "Host", host.contains(":") ? "[" + host + "]:" + port : host + ":" + port);
        put(all, "User-Agent", Prober.USER_AGENT);
        put(all, "Accept", "*/*");
        headers.forEach((k, v) -> put(all, k, v));
        put(all, "Connection", "close");
        StringBuilder req = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
        for (String[] h : all.values()) req.append(h[0]).append(": ").append(h[1]).append("\r\n");
        req.append("\r\n");
        try (Socket plain = dialer.open().socket()) {
            plain.connect(new InetSocketAddress(host, port), remainingMillis(deadline));
            plain.setSoTimeout(remainingMillis(deadline)); // the TLS handshake reads too
            Socket s = https ? tls(plain, host, port) : plain;
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String statusLine = line(in);
            if (statusLine == null) throw new IOException("EOF");
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("malformed HTTP response \"" + statusLine + "\"");
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("malformed HTTP status code \"" + parts[1] + "\"");
            }
            long length = Long.MAX_VALUE;
            for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                    try {
                        length = Long.parseLong(h.substring(colon + 1).trim());
                    } catch (NumberFormatException ignored) {
                        // read to the end of the stream instead
                    }
                }
            }
            s.setSoTimeout(remainingMillis(deadline));
            return new Response(status, in.readNBytes((int) Math.min(length, maxBody)));
        }
    }

    private static void put(Map<String, String[]> headers, String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), new String[] {name, value});
    }

    /** At least 1 ms: a zero timeout would mean "wait for ever" to a socket. */
    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) throw new SocketTimeoutException("timed out");
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** One header line without its CRLF; null at end of stream before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int total = 0;
        for (int c; (c = in.read()) >= 0; ) {
            if (++total > MAX_HEAD) throw new IOException("HTTP response head too long");
            if (c == '\n') {
                String l = b.toString(StandardCharsets.ISO_8859_1);
                return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
            }
            b.write(c);
        }
        return total == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    private static Socket tls(Socket plain, String host, int port) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {TRUST_ALL}, null);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
            s.startHandshake();
            return s;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS: " + e.getMessage(), e);
        }
    }

    /** The kubelet's probes set InsecureSkipVerify: a pod's serving certificate is not the probe's business. */
    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    };
}
