package dev.roster.bench.jmh;

import dev.roster.api.Json;
import dev.roster.apiserver.cache.CachedObject;
import dev.roster.bench.Pods;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.node.ObjectNode;

/**
 * The per-object JSON work on the API server's hot paths: a create parses the body and
 * serialises it for storage and for the reply; the watch cache parses the stored bytes again
 * ({@link CachedObject#fromStored}) and serialises once more for lists and watch events
 * ({@link CachedObject#json}); a single-object GET parses and serialises per request.
 */
public class CachedObjectBench extends MicroBench {
    byte[] stored;
    ObjectNode tree;

    @Setup
    public void setUp() {
        stored = Pods.storedPod(1).getBytes(StandardCharsets.UTF_8);
        tree = (ObjectNode) Json.parse(stored);
    }

    /** Stored bytes → tree with resourceVersion stamped: once per write in the cache, once per GET. */
    @Benchmark
    public CachedObject fromStored() {
        return CachedObject.fromStored("/registry/core/pods/default/web-1", stored, 42);
    }

    /** Tree → bytes: once per object version for lists and watches, per GET/create reply. */
    @Benchmark
    public byte[] serialise() {
        return Json.bytes(tree);
    }

    /** What a single-object GET does with the stored value: parse, stamp, serialise. */
    @Benchmark
    public byte[] getPath() {
        return Json.bytes(CachedObject.fromStored("/registry/core/pods/default/web-1", stored, 42).object());
    }

    /** A cached object's JSON after the first call: what a list or watch pays per object. */
    @Benchmark
    public byte[] cachedJson(CachedState s) {
        return s.cached.json();
    }

    @State(Scope.Benchmark)
    public static class CachedState {
        CachedObject cached;

        @Setup
        public void setUp() {
            cached = CachedObject.fromStored("/registry/core/pods/default/web-1", Pods.storedPod(1).getBytes(StandardCharsets.UTF_8), 42);
            cached.json();
        }
    }
}
