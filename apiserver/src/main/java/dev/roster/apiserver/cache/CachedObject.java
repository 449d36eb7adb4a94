package dev.roster.apiserver.cache;

import dev.roster.api.Json;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One object version as the API server returns it: parsed once, with its resourceVersion set,
 * and its JSON bytes kept so lists and watch events are assembled without serialising again.
 * The tree must never be mutated after construction; callers that change it copy it first.
 * The watch cache builds its objects with {@link #lazy}: most versions it holds are never read
 * (a create's reply is built from the request's own tree), so their bytes are parsed on first use.
 */
public final class CachedObject {
    private final String key;
    private volatile ObjectNode object;
    /** Stored bytes of a lazy object until it is parsed; guarded by this. */
    private byte[] stored;
    private final long modRevision;
    private volatile byte[] json;
    private volatile Map<String, String> labels;

    public CachedObject(String key, ObjectNode object, long modRevision) {
        this.key = key;
        this.object = object;
        this.modRevision = modRevision;
    }

    /** Parses stored bytes and stamps metadata.resourceVersion with the given revision. */
    public static CachedObject fromStored(String key, byte[] value, long revision) {
        return new CachedObject(key, parseStamped(value, revision), revision);
    }

    /**
     * A version just written from {@code object} (stored without resourceVersion, stamped here)
     * whose stored form is {@code stored}: its JSON is the stored bytes stamped, not a second
     * serialisation.
     */
    public static CachedObject written(String key, ObjectNode object, long revision, byte[] stored) {
        stamp(object, revision);
        CachedObject o = new CachedObject(key, object, revision);
        o.json = StampedJson.stamp(stored, revision);
        return o;
    }

    /**
     * As {@link #fromStored}, but the bytes are parsed when the object is first used; its JSON
     * alone (a GET's reply, a list's item) needs no parse.
     */
    public static CachedObject lazy(String key, byte[] value, long revision) {
        CachedObject o = new CachedObject(key, null, revision);
        o.stored = value;
        return o;
    }

    private static ObjectNode parseStamped(byte[] value, long revision) {
        ObjectNode obj = (ObjectNode) Json.parse(value);
        stamp(obj, revision);
        return obj;
    }

    private static void stamp(ObjectNode obj, long revision) {
        JsonNode meta = obj.get("metadata");
        ObjectNode m = meta instanceof ObjectNode o ? o : obj.putObject("metadata");
        m.put("resourceVersion", Long.toString(revision));
    }

    public String key() { return key; }

    /** The shared tree: read only. */
    public ObjectNode object() {
        ObjectNode o = object;
        if (o == null) {
            synchronized (this) {
                o = object;
                if (o == null) {
                    o = parseStamped(stored, modRevision);
                    object = o;
                    stored = null;
                }
            }
        }
        return o;
    }

    /** A private copy the caller may change. */
    public ObjectNode copy() { return object().deepCopy(); }

    public long modRevision() { return modRevision; }

    public String name() { return Json.text(object(), "metadata", "name"); }

    public String namespace() { return Json.text(object(), "metadata", "namespace"); }

    public byte[] json() {
        byte[] j = json;
        if (j == null) {
            byte[] unparsed;
            synchronized (this) {
                unparsed = object == null ? stored : null;
            }
            if (unparsed != null) j = StampedJson.stamp(unparsed, modRevision);
            if (j == null) j = Json.bytes(object());
            json = j;
        }
        return j;
    }

    public Map<String, String> labels() {
        Map<String, String> l = labels;
        if (l == null) {
            l = new TreeMap<>();
            JsonNode ls = object().path("metadata").path("labels");
            if (ls.isObject()) {
                for (var e : ls.properties()) l.put(e.getKey(), e.getValue().asString());
            }
            labels = l;
        }
        return l;
    }
}
