package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.cache.CacheEvent;
import dev.roster.apiserver.cache.CacheHub;
import dev.roster.apiserver.cache.CacheWatcher;
import dev.roster.apiserver.cache.CachedObject;
import dev.roster.apiserver.cache.WatchFilter;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * WATCH as a chunked stream of newline-separated JSON events, one flush per event. With
 * resourceVersion unset or "0" the current objects come first as ADDED (kubectl's single-object
 * {@code get -w} drops the first event and relies on that); with a number, only later changes;
 * with a number older than the cache keeps, one ERROR event carrying a 410 Expired Status.
 */
public final class WatchHandler {
    private static final long BOOKMARK_INTERVAL_MS = 60_000;
    /** Longer than any client asks for, short enough that seconds × 1000 cannot overflow. */
    private static final long MAX_TIMEOUT_SECONDS = 365L * 24 * 3600;

    /** upstream's default: a watch without timeoutSeconds ends after 30 to 60 minutes. */
    private static final long DEFAULT_TIMEOUT_MS = 30 * 60_000;

    private final CacheHub cache;
    private final TableBuilder tables;
    private final Clock clock;

    public WatchHandler(CacheHub cache, TableBuilder tables, Clock clock) {
        this.cache = cache;
        this.tables = tables;
        this.clock = clock;
    }

    public RestResponse watch(RequestTarget t, RestRequest req) {
        ResourceType type = t.type();
        String upgrade = req.header("Upgrade");
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            // WebSocket watches are not served: answer the upgrade with a complete, non-101 reply
            // so the client sees the handshake fail at once. fabric8 then falls back to a
            // streamed HTTP watch; that is what it does behind kubectl proxy too.
            return RestResponse.json(200, Json.bytes(new ApiException(200, null,
                    "roster serves watches as streamed HTTP responses, not over WebSocket", null).toStatus()));
        }
        ListOptions opts = ListOptions.of(req);
        WatchFilter filter = Selectors.filter(type, opts.labelSelector(), opts.fieldSelector());
        String rv = opts.resourceVersion();
        boolean initialEvents = Boolean.TRUE.equals(opts.sendInitialEvents());
        boolean noInitialEvents = Boolean.FALSE.equals(opts.sendInitialEvents());
        // sendInitialEvents=false without a version starts at the newest state, with no synthetic ADDED events
        long from = noInitialEvents && (rv.isEmpty() || rv.equals("0")) ? cache.revision()
                : rv.isEmpty() || rv.equals("0") || initialEvents ? -1 : ListWatch.parseRevision(rv);
        if (from > 0 && !cache.waitFor(from, 3_000)) {
            throw ApiException.timeout("Too large resource version: " + from + ", current: " + cache.revision());
        }
        boolean table = MediaTypes.wantsTable(req.accept());
        boolean bookmarks = opts.allowWatchBookmarks();
        long timeoutMs = opts.timeoutSeconds() == null ? DEFAULT_TIMEOUT_MS
                : Math.min(Math.max(1, opts.timeoutSeconds()), MAX_TIMEOUT_SECONDS) * 1000;
        String include = req.param("includeObject");

        CacheHub.Registration reg;
        try {
            reg = cache.watch(type.storagePrefix(), type.listPrefix(t.namespace()), from, filter);
        } catch (CacheHub.TooOldException e) {
            ObjectNode status = ApiException.gone(e.getMessage()).toStatus();
            byte[] line = eventLine("ERROR", status);
            return RestResponse.stream(RestResponse.JSON, out -> { out.write(line); out.flush(); });
        }
        return RestResponse.stream(RestResponse.JSON, out -> {
            Stream s = new Stream(type, out, table, include);
            try (CacheWatcher w = reg.watcher()) {
                for (CacheEvent e : reg.initial()) s.send(e);
                if (initialEvents) s.bookmark(reg.startRevision(), true);
                s.flush();
                long deadline = System.currentTimeMillis() + timeoutMs;
                long lastRevision = reg.startRevision();
                long nextBookmark = System.currentTimeMillis() + BOOKMARK_INTERVAL_MS;
                while (System.currentTimeMillis() < deadline) {
                    CacheEvent e = w.poll(1, TimeUnit.SECONDS);
                    if (e != null) {
                        s.send(e);
                        lastRevision = e.revision();
                        // drain what is already queued before flushing: one chunk for a burst
                        for (int i = 0; i < 256 && (e = w.poll(0, TimeUnit.SECONDS)) != null; i++) {
                            s.send(e);
                            lastRevision = e.revision();
                        }
                        s.flush();
                    } else if (w.isClosed()) {
                        break;
                    }
                    if (bookmarks && System.currentTimeMillis() >= nextBookmark) {
                        s.bookmark(Math.max(lastRevision, cache.revision()), false);
                        s.flush();
                        nextBookmark = System.currentTimeMillis() + BOOKMARK_INTERVAL_MS;
                    }
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static byte[] eventLine(String type, ObjectNode object) {
        ObjectNode ev = Json.object();
        ev.put("type", type);
        ev.set("object", object);
        byte[] b = Json.bytes(ev);
        byte[] line = new byte[b.length + 1];
        System.arraycopy(b, 0, line, 0, b.length);
        line[b.length] = '\n';
        return line;
    }

    /** Writes events of one watch in the representation the client asked for. */
    private final class Stream {
        private final ResourceType type;
        private final OutputStream out;
        private final boolean table;
        private final String include;
        private boolean columnsSent;

        Stream(ResourceType type, OutputStream out, boolean table, String include) {
            this.type = type;
            this.out = out;
            this.table = table;
            this.include = include;
        }

        void send(CacheEvent e) throws IOException {
            String kind = e.type().name();
            CachedObject o = e.object();
            if (table) {
                ObjectNode obj = Versions.toExternal(type, o.object());
                ObjectNode t = tables.table(type, List.of(obj), null, null, include, !columnsSent, clock.instant());
                columnsSent = true;
                out.write(eventLine(kind, t));
            } else if (Versions.converts(type)) {
                out.write(eventLine(kind, Versions.toExternal(type, o.object())));
            } else {
                byte[] head = ("{\"type\":\"" + kind + "\",\"object\":").getBytes(StandardCharsets.UTF_8);
                byte[] json = o.json();
                byte[] line = new byte[head.length + json.length + 2];
                System.arraycopy(head, 0, line, 0, head.length);
                System.arraycopy(json, 0, line, head.length, json.length);
                line[line.length - 2] = '}';
                line[line.length - 1] = '\n';
                out.write(line);
            }
        }

        void bookmark(long revision, boolean initialEventsEnd) throws IOException {
            ObjectNode obj = Json.object();
            obj.put("kind", table ? "Table" : type.kind());
            obj.put("apiVersion", table ? "meta.k8s.io/v1" : type.apiVersion());
            ObjectNode meta = obj.putObject("metadata");
            meta.put("resourceVersion", Long.toString(revision));
            if (initialEventsEnd) meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
            out.write(eventLine("BOOKMARK", obj));
        }

        void flush() throws IOException {
            out.flush();
        }
    }
}
