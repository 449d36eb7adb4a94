package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import dev.roster.api.apply.ApplyConflict;
import dev.roster.api.apply.ApplyError;
import dev.roster.api.apply.FieldManager;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.cache.CachedObject;
import dev.roster.apiserver.http.RestRequest;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code PATCH} with {@code application/apply-patch+yaml}: server-side apply, creating the
 * object when it does not exist (201) and otherwise merging into it (200), with conflicts as
 * upstream's 409 Status listing each field and its owner.
 */
final class ServerSideApply {
    static final String YAML = "application/apply-patch+yaml";
    static final String CBOR = "application/apply-patch+cbor";

    private ServerSideApply() {}

    static boolean isApply(String contentType) {
        String base = MediaTypes.base(contentType);
        return base.equals(YAML) || base.equals(CBOR);
    }

    /** The result and whether the apply created the object. */
    record Outcome(CachedObject object, boolean created) {}

    static Outcome apply(ResourceStore store, RequestTarget t, RestRequest req, boolean dryRun) {
        if (MediaTypes.base(req.contentType()).equals(CBOR)) throw ApiException.unsupportedPatchType(CBOR);
        String manager = req.param("fieldManager"); // present: WriteOptions checked it
        boolean force = req.flag("force");
        ObjectNode config = decode(req.body().get());
        FieldManager fm = store.fieldManager();
        ResourceType type = t.type();
        for (int attempt = 0; ; attempt++) {
            try {
                if (t.subresource() == null && store.find(type, t.namespace(), t.name()).isEmpty()) {
                    ObjectNode obj = fm.apply(type, null, null, withName(config, t), manager, force);
                    return new Outcome(store.create(t, obj, dryRun, null), true);
                }
                return new Outcome(store.update(t, cur -> fm.apply(type, t.subresource(), cur, config, manager, force), dryRun, null), false);
            } catch (ApplyConflict c) {
                throw conflict(c);
            } catch (ApplyError.Internal e) {
                throw ApiException.internal(e.getMessage());
            } catch (ApplyError e) {
                throw ApiException.badRequest(e.getMessage());
            } catch (ApiException e) {
                // lost a race with a create or a delete: apply again to what is there now
                boolean raced = (e.code() == 409 && "AlreadyExists".equals(e.reason())) || e.code() == 404;
                if (!raced || attempt >= 2 || t.subresource() != null) throw e;
            }
        }
    }

    private static ObjectNode decode(byte[] body) {
        if (body.length == 0) throw ApiException.badRequest("error decoding YAML: the request body is empty");
        try {
            return BodyDecoder.object(YAML, body);
        } catch (ApiException e) {
            throw ApiException.badRequest("error decoding YAML: " + e.getMessage());
        }
    }

    /** The configuration with the URL's name when it names none; a different name fails later, as for any write. */
    private static ObjectNode withName(ObjectNode config, RequestTarget t) {
        String name = Json.text(config, "metadata", "name");
        if (name != null && !name.isEmpty()) return config;
        ObjectNode c = config.deepCopy();
        c.withObject("metadata").put("name", t.name());
        return c;
    }

    /** Upstream's apply conflict: 409 Conflict, one FieldManagerConflict cause per field. */
    private static ApiException conflict(ApplyConflict c) {
        ObjectNode d = Json.object();
        ArrayNode causes = d.putArray("causes");
        for (ApplyConflict.Conflict x : c.conflicts()) {
            ObjectNode cause = causes.addObject();
            cause.put("reason", "FieldManagerConflict");
            cause.put("message", "conflict with " + x.manager());
            cause.put("field", x.path());
        }
        return new ApiException(409, "Conflict", c.getMessage(), d);
    }

    /**
     * The manager a write is recorded for: the {@code fieldManager} parameter, else the client's
     * User-Agent up to its first '/', printable characters only and at most 128 bytes, as upstream.
     */
    static String managerOf(RestRequest req) {
        String m = req.param("fieldManager");
        if (m != null && !m.isEmpty()) return m; // WriteOptions checked its length and characters
        String ua = req.header("User-Agent");
        if (ua == null) return "";
        int slash = ua.indexOf('/');
        String prefix = slash < 0 ? ua : ua.substring(0, slash);
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < prefix.length(); ) {
            int cp = prefix.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isISOControl(cp) || !Character.isDefined(cp)) continue;
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > WriteOptions.MAX_MANAGER_BYTES) break;
            b.appendCodePoint(cp);
            bytes += len;
        }
        return b.toString();
    }
}
