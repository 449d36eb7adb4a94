package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.cache.CacheHub;
import dev.roster.apiserver.cache.CachedObject;
import dev.roster.apiserver.cache.WatchFilter;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import dev.roster.storage.KeyValue;
import dev.roster.storage.ListResult;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * LIST with upstream's resourceVersion semantics, served from the watch cache: unset means
 * "consistent" (wait until the cache holds every write made so far), "0" means "any", and a
 * number with resourceVersionMatch=Exact reads storage at that revision. limit/continue pages
 * read storage at the first page's revision so a paged list is one consistent snapshot.
 */
public final class ListWatch {
    private static final long CONSISTENCY_WAIT_MS = 3_000;

    private final Storage storage;
    private final CacheHub cache;
    private final TableBuilder tables;
    private final Clock clock;

    public ListWatch(Storage storage, CacheHub cache, TableBuilder tables, Clock clock) {
        this.storage = storage;
        this.cache = cache;
        this.tables = tables;
        this.clock = clock;
    }

    public RestResponse list(RequestTarget t, RestRequest req) {
        ResourceType type = t.type();
        ListOptions opts = ListOptions.of(req);
        WatchFilter filter = Selectors.filter(type, opts.labelSelector(), opts.fieldSelector());
        long limit = opts.limit();
        String keyPrefix = type.listPrefix(t.namespace());
        String rvParam = opts.resourceVersion();
        String match = opts.resourceVersionMatch();
        String cont = opts.continueToken();

        List<CachedObject> candidates;
        long revision;
        if (!cont.isEmpty()) {
            ContinueToken token = ContinueToken.decode(cont);
            revision = token.revision();
            candidates = fromStorage(keyPrefix, revision, token.startKey(), true);
        } else if (ListOptions.EXACT.equals(match)) {
            revision = parseRevision(rvParam);
            candidates = fromStorage(keyPrefix, revision, null, false);
        } else {
            long target = rvParam.isEmpty() ? storage.currentRevision()
                    : rvParam.equals("0") ? 0 : parseRevision(rvParam);
            if (!cache.waitFor(target, CONSISTENCY_WAIT_MS)) {
                throw ApiException.timeout("Too large resource version: " + target + ", current: " + cache.revision());
            }
            CacheHub.Snapshot snap = cache.list(type.storagePrefix(), keyPrefix);
            candidates = snap.items();
            revision = snap.revision();
        }

        List<CachedObject> page = new ArrayList<>();
        String next = null;
        long remaining = 0;
        for (CachedObject o : candidates) {
            if (!filter.matches(o)) continue;
            if (limit > 0 && page.size() == limit) {
                if (next == null) next = o.key();
                remaining++;
                continue;
            }
            page.add(o);
        }
        String token = next == null ? null : new ContinueToken(revision, next).encode();
        boolean filtered = filter != WatchFilter.ALL;
        if (MediaTypes.wantsTable(req.accept())) {
            List<ObjectNode> objs = page.stream().map(o -> Versions.toExternal(type, o.object())).toList();
            ObjectNode table = tables.table(type, objs, Long.toString(revision), token, req.param("includeObject"), true, clock.instant());
            return RestResponse.json(200, Json.bytes(table));
        }
        byte[] head = listHead(type, revision, token, filtered ? -1 : remaining);
        if (page.size() <= SMALL_LIST) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256 + page.size() * 1024);
            try {
                writeList(out, type, head, page);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e); // a byte array does not fail
            }
            return RestResponse.json(200, out.toByteArray());
        }
        return RestResponse.stream(RestResponse.JSON, out -> writeList(out, type, head, page));
    }

    /** Lists up to this many items are sent whole; longer ones stream from the cached bytes. */
    private static final int SMALL_LIST = 100;

    /**
     * Writes the list from each object's cached JSON: a list of many objects costs one copy of
     * bytes rather than a serialisation per request, and a long one is never held whole in memory.
     */
    private static void writeList(java.io.OutputStream out, ResourceType type, byte[] head, List<CachedObject> items)
            throws java.io.IOException {
        out.write(head);
        boolean first = true;
        for (CachedObject o : items) {
            if (!first) out.write(',');
            first = false;
            out.write(Versions.converts(type) ? Json.bytes(Versions.toExternal(type, o.object())) : o.json());
        }
        out.write(LIST_TAIL);
    }

    private static final byte[] LIST_TAIL = "]}".getBytes(StandardCharsets.UTF_8);

    private static byte[] listHead(ResourceType type, long revision, String token, long remaining) {
        StringBuilder head = new StringBuilder(128);
        head.append("{\"kind\":\"").append(type.listKind()).append("\",\"apiVersion\":\"").append(type.apiVersion())
                .append("\",\"metadata\":{\"resourceVersion\":\"").append(revision).append('"');
        if (token != null) {
            head.append(",\"continue\":\"").append(token).append('"');
            if (remaining > 0) head.append(",\"remainingItemCount\":").append(remaining);
        }
        head.append("},\"items\":[");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private List<CachedObject> fromStorage(String keyPrefix, long revision, String startKey, boolean continuing) {
        try {
            ListResult r = storage.list(keyPrefix, revision, startKey, 0);
            List<CachedObject> out = new ArrayList<>(r.items().size());
            for (KeyValue kv : r.items()) out.add(CachedObject.fromStored(kv.key(), kv.value(), kv.modRevision()));
            return out;
        } catch (StorageException.Compacted e) {
            if (continuing) {
                throw ApiException.gone("The provided continue parameter is too old to display a consistent list result. "
                        + "You can start a new list without the continue parameter.");
            }
            throw ApiException.gone("The resourceVersion for the provided list is too old.");
        }
    }

    static long parseRevision(String rv) {
        try {
            long v = Long.parseLong(rv);
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (RuntimeException e) {
            throw ApiException.badRequest("invalid resource version: " + rv);
        }
    }
}
