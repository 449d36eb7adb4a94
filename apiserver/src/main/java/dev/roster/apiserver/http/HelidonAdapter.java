package dev.roster.apiserver.http;

import dev.roster.apiserver.auth.Authenticator;
import dev.roster.apiserver.auth.Credentials;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bridges Helidon's request/response to the server-independent {@link RestRequest} handling. */
public final class HelidonAdapter implements Handler {
    private static final Logger log = LoggerFactory.getLogger(HelidonAdapter.class);
    /** Upstream's words for a client over its in-flight limit (its max-inflight filter's http.Error). */
    static final String TOO_MANY_REQUESTS = "Too many requests, please try again later.\n";

    private final Function<RestRequest, RestResponse> handler;
    private final int maxBodyBytes;
    private final InFlightLimits inFlight;
    private final ClientKey clientKey;
    private final Authenticator authenticator;

    /**
     * @param maxBodyBytes the largest request body read; larger ones fail the read with {@link BodyTooLarge}
     * @param clientKey who a request counts against in {@code inFlight}
     * @param authenticator finds the user in a request's TLS client certificate or headers (none: anonymous)
     */
    public HelidonAdapter(Function<RestRequest, RestResponse> handler, int maxBodyBytes, InFlightLimits inFlight,
            ClientKey clientKey, Authenticator authenticator) {
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        this.inFlight = inFlight;
        this.clientKey = clientKey;
        this.authenticator = authenticator;
    }

    /**
     * Sends a streamed response's status line and headers before its first byte. A watch may
     * have nothing to say for minutes, and clients (fabric8's informers, Java's HttpClient) wait
     * for the headers before they consider the watch started; kube-apiserver flushes them at
     * once too. Helidon 4.5 holds them until the first write and exposes no public call for
     * this, so the package-private one is used; if that ever fails, headers go with the first
     * event as before.
     */
    private static void sendHeadersNow(ServerResponse res) {
        try {
            java.lang.reflect.Method m = res.getClass().getDeclaredMethod("flushHeaders");
            m.setAccessible(true);
            m.invoke(res);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("could not send headers early: {}", e.toString());
        }
    }

    /**
     * The request body, read from the connection once and kept: a retried update reads it again.
     * A body over the limit is refused as upstream's limitedReadBody does: one declared larger is
     * not read at all, one sent in chunks is read to one byte past the limit and no further.
     */
    private static final class BodyOnce implements java.util.function.Supplier<byte[]> {
        private final ServerRequest req;
        private final int limit;
        private byte[] body;
        private boolean tooLarge;

        BodyOnce(ServerRequest req, int limit) {
            this.req = req;
            this.limit = limit;
        }

        synchronized boolean refused() {
            return tooLarge;
        }

        @Override
        public synchronized byte[] get() {
            if (tooLarge) throw new BodyTooLarge(limit);
            if (body == null) {
                try {
                    body = read();
                } catch (BodyTooLarge e) {
                    tooLarge = true;
                    throw e;
                }
            }
            return body;
        }

        /**
         * With a Content-Length, exactly that many bytes: reading the stream to its end instead
         * (what {@code as(byte[].class)} does) allocates a 16 KB buffer per request, a third of
         * everything a small create allocated.
         */
        private byte[] read() {
            if (!req.content().hasEntity()) return new byte[0];
            long length = req.headers().contentLength().orElse(-1);
            if (length > limit) throw new BodyTooLarge(limit);
            try {
                java.io.InputStream in = req.content().inputStream();
                if (length < 0) {
                    byte[] b = in.readNBytes(limit + 1);
                    if (b.length > limit) throw new BodyTooLarge(limit);
                    return b;
                }
                byte[] b = in.readNBytes((int) length);
                in.read(); // the end of the entity, so the connection knows it was consumed
                return b;
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The client certificate chain the TLS handshake verified; empty over plain HTTP or without one. */
    private static List<X509Certificate> peerCertificates(ServerRequest req) {
        if (!req.isSecure()) return List.of();
        java.security.cert.Certificate[] chain = req.remotePeer().tlsCertificates().orElse(null);
        if (chain == null) return List.of();
        List<X509Certificate> out = new java.util.ArrayList<>();
        for (java.security.cert.Certificate c : chain) {
            if (c instanceof X509Certificate x) out.add(x);
        }
        return out;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String name : req.query().names()) {
            query.put(name, req.query().all(name));
        }
        BodyOnce body = new BodyOnce(req, maxBodyBytes);
        Function<String, String> header = new RequestHeaders(req.headers());
        RestRequest r = new RestRequest(
                req.prologue().method().text(),
                req.path().path(),
                query,
                header,
                body,
                authenticator.authenticate(new Credentials(peerCertificates(req), header)).orElse(null));
        try (InFlightLimits.Slot slot = inFlight.tryAcquire(clientKey.of(req, r.user()), r.isLongRunning())) {
            if (slot == null) {
                // as upstream: plain text, and a Retry-After that client-go's retry honours
                res.status(Status.TOO_MANY_REQUESTS_429);
                res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                res.header(HeaderNames.RETRY_AFTER, "1");
                res.header("X-Content-Type-Options", "nosniff");
                res.send(TOO_MANY_REQUESTS.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return;
            }
            RestResponse out = handler.apply(r);
            // the rest of a refused body is never read: the connection cannot carry another request
            if (body.refused()) res.header(HeaderNames.CONNECTION, "close");
            reply(res, out);
        }
    }

    private static void reply(ServerResponse res, RestResponse out) {
        res.status(Status.create(out.status()));
        if (out.contentType() != null) res.header(HeaderNames.CONTENT_TYPE, out.contentType());
        out.headers().forEach(res::header);
        if (!out.isStream()) {
            res.send(out.body());
            return;
        }
        try (OutputStream os = res.outputStream()) {
            sendHeadersNow(res);
            out.streamBody().writeTo(ResetAwareStream.of(os, res));
        } catch (UncheckedIOException | java.io.IOException e) {
            log.debug("stream to client ended: {}", e.toString());
        }
    }
}
