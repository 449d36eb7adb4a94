package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.cache.CachedObject;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import dev.roster.apiserver.patch.JsonPatch;
import dev.roster.apiserver.patch.MergePatch;
import dev.roster.apiserver.patch.PatchException;
import dev.roster.api.patch.PatchError;
import dev.roster.api.patch.PatchSchema;
import dev.roster.api.patch.StrategicMergePatch;
import java.time.Clock;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Dispatches a resource request (verb × collection/object × subresource) to the store. */
public final class ResourceHandler {
    private final ResourceStore store;
    private final ListWatch lists;
    private final WatchHandler watches;
    private final TableBuilder tables;
    private final Clock clock;
    private final PodLogs podLogs;
    private TokenRequests tokenRequests;

    /**
     * @param nodes the Node resource type (pods/log finds the pod's node through it)
     * @param kubeletHost where node agents' endpoints are reached, or null for each node's InternalIP
     */
    public ResourceHandler(ResourceStore store, ListWatch lists, WatchHandler watches, TableBuilder tables, Clock clock,
            ResourceType nodes, String kubeletHost) {
        this.podLogs = new PodLogs(store, nodes, kubeletHost);
        this.store = store;
        this.lists = lists;
        this.watches = watches;
        this.tables = tables;
        this.clock = clock;
    }

    /** Who answers serviceaccounts/token (the API server sets it once, before serving). */
    public ResourceHandler withTokenRequests(TokenRequests tokens) {
        this.tokenRequests = tokens;
        return this;
    }

    public RestResponse handle(RequestTarget t, RestRequest req) {
        String method = req.method();
        ResourceType type = t.type();
        WriteOptions.check(req, method.equals("PATCH") && ServerSideApply.isApply(req.contentType()));
        boolean dryRun = WriteOptions.isDryRun(req);
        if (t.subresource() != null) return subresource(t, req, dryRun);
        if (t.isCollection()) {
            return switch (method) {
                case "GET" -> req.flag("watch") ? watches.watch(t, req) : lists.list(t, req);
                case "POST" -> {
                    Validated in = validated(type, req, true);
                    yield FieldValidation.warn(object(201, t, store.create(t, in.body(), dryRun, owner(req, null)), req),
                            in.warnings());
                }
                case "DELETE" -> deleteCollection(t, req);
                default -> throw ApiException.methodNotAllowed();
            };
        }
        return switch (method) {
            case "GET" -> object(200, t, store.get(t), req);
            case "PUT" -> {
                Validated in = validated(type, req, true);
                checkName(t, in.body());
                yield FieldValidation.warn(object(200, t, store.update(t, cur -> in.body().deepCopy(), dryRun, owner(req, null)), req),
                        in.warnings());
            }
            case "PATCH" -> patch(t, req, dryRun);
            case "DELETE" -> {
                byte[] raw = req.body().get();
                JsonNode body = raw.length == 0 ? null : BodyDecoder.tree(req.contentType(), raw);
                ResourceStore.Deleted d = store.delete(t, DeleteOptions.from(req, body), req.user());
                yield object(200, t, d.object(), req);
            }
            default -> throw ApiException.methodNotAllowed();
        };
    }

    /** A decoded body and the field-validation warnings it earned. */
    private record Validated(ObjectNode body, List<String> warnings) {}

    /**
     * Decodes a create/update body and runs field validation on it ({@code fieldValidation}: Strict fails here). A
     * whole object ({@code whole}) must be of the resource's kind and is converted to the stored version; a status
     * body is taken as it is.
     */
    private static Validated validated(ResourceType type, RestRequest req, boolean whole) {
        FieldValidation.Mode mode = FieldValidation.mode(req);
        BodyDecoder.Checked in = BodyDecoder.objectChecked(req.contentType(), req.body().get(), mode != FieldValidation.Mode.IGNORE);
        if (whole) checkKind(type, in.object());
        List<String> warnings = FieldValidation.check(mode, type, in.object(), in.duplicates(), FieldValidation.cannotBeHandled(type));
        return new Validated(whole ? Versions.toInternal(type, in.object()) : in.object(), warnings);
    }

    private RestResponse subresource(RequestTarget t, RestRequest req, boolean dryRun) {
        String sub = t.subresource();
        if (!t.type().hasSubresource(sub)) throw ApiException.pathNotFound();
        return switch (sub) {
            case "status" -> switch (req.method()) {
                case "GET" -> object(200, t, store.get(t), req);
                case "PUT" -> {
                    Validated in = validated(t.type(), req, false);
                    checkName(t, in.body());
                    yield FieldValidation.warn(object(200, t, store.update(t, cur -> in.body().deepCopy(), dryRun, owner(req, sub)), req),
                            in.warnings());
                }
                case "PATCH" -> patch(t, req, dryRun);
                default -> throw ApiException.methodNotAllowed();
            };
            case "scale" -> Scale.handle(store, t, req, dryRun, owner(req, sub), (r, doc) -> patchBody(r, doc, PatchSchema.NONE));
            case "binding" -> Binding.bind(store, t, req);
            case "log" -> podLogs.serve(t, req);
            case "token" -> tokenRequests.handle(t, req);
            case "finalize" -> {
                if (!req.method().equals("PUT")) throw ApiException.methodNotAllowed();
                ObjectNode body = BodyDecoder.object(req.contentType(), req.body().get());
                yield object(200, t, store.update(t, cur -> {
                    // clients leave an empty list out of the body: no list means no finalizers
                    JsonNode finalizers = body.path("spec").path("finalizers");
                    if (finalizers.isArray() && !finalizers.isEmpty()) cur.withObject("spec").set("finalizers", finalizers.deepCopy());
                    else cur.withObject("spec").remove("finalizers");
                    return cur;
                }, dryRun), req);
            }
            default -> throw ApiException.pathNotFound();
        };
    }

    /**
     * A PATCH of the object or its status: server-side apply, or a patch recorded as an Update. Field
     * validation looks at the patched object (the fields the patch added that no schema declares) and at
     * the patch body's repeated fields.
     */
    private RestResponse patch(RequestTarget t, RestRequest req, boolean dryRun) {
        if (ServerSideApply.isApply(req.contentType())) {
            ServerSideApply.Outcome o = ServerSideApply.apply(store, t, req, dryRun);
            return object(o.created() ? 201 : 200, t, o.object(), req);
        }
        FieldValidation.Mode mode = FieldValidation.mode(req);
        List<String> duplicates = mode == FieldValidation.Mode.IGNORE
                || MediaTypes.base(req.contentType()).equals("application/json-patch+json")
                ? List.of() : duplicatesIn(req.body().get());
        List<List<String>> warnings = new java.util.ArrayList<>(List.of(List.of()));
        ObjectNode stored = store.update(t, cur -> {
            ObjectNode external = Versions.toExternal(t.type(), cur);
            JsonNode result = patchBody(req, external, PatchSchema.forType(t.type()));
            if (!(result instanceof ObjectNode o)) throw ApiException.badRequest("the patch produced a non-object");
            // a lost race re-runs this on the fresh object: keep the last attempt's warnings
            warnings.set(0, FieldValidation.check(mode, t.type(), o, duplicates, ""));
            return Versions.toInternal(t.type(), o);
        }, dryRun, owner(req, t.subresource())).object();
        return FieldValidation.warn(object(200, t, stored, req), warnings.get(0));
    }

    private static ResourceStore.FieldOwner owner(RestRequest req, String subresource) {
        return new ResourceStore.FieldOwner(ServerSideApply.managerOf(req), subresource, req.user());
    }

    private static List<String> duplicatesIn(byte[] patch) {
        try {
            return dev.roster.api.schema.FieldValidator.duplicateFields(patch);
        } catch (RuntimeException e) {
            return List.of(); // not JSON: the patch itself reports that
        }
    }

    /**
     * Applies the request's patch to a document, by the patch's content type; a strategic merge
     * patch merges lists by the keys the schema gives.
     */
    JsonNode patchBody(RestRequest req, JsonNode doc, PatchSchema schema) {
        String type = MediaTypes.base(req.contentType());
        JsonNode patch;
        try {
            patch = Json.parse(req.body().get());
        } catch (tools.jackson.core.JacksonException e) {
            throw ApiException.badRequest("error decoding patch: " + BodyDecoder.jsonError(e));
        }
        try {
            return switch (type) {
                case "application/merge-patch+json" -> MergePatch.apply(doc, patch);
                case "application/json-patch+json" -> JsonPatch.apply(doc, patch);
                case "application/strategic-merge-patch+json" -> StrategicMergePatch.apply(schema, (ObjectNode) doc, patch);
                default -> throw ApiException.unsupportedPatchType(type);
            };
        } catch (PatchException e) {
            throw new ApiException(422, "Invalid", e.getMessage(), null);
        } catch (PatchError e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private RestResponse deleteCollection(RequestTarget t, RestRequest req) {
        RestRequest listReq = new RestRequest("GET", req.path(), req.query(), name -> null, () -> new byte[0]);
        JsonNode list = Json.parse(lists.list(t, listReq).body());
        byte[] raw = req.body().get();
        DeleteOptions opts = DeleteOptions.from(req, raw.length == 0 ? null : BodyDecoder.tree(req.contentType(), raw));
        ObjectNode out = Json.object();
        out.put("kind", t.type().listKind());
        out.put("apiVersion", t.type().apiVersion());
        out.putObject("metadata");
        var items = out.putArray("items");
        for (JsonNode item : list.path("items")) {
            String ns = Metadata.namespace(item);
            RequestTarget one = new RequestTarget(t.type(), ns, Metadata.name(item), null);
            try {
                items.add(store.delete(one, opts, req.user()).object().object());
            } catch (ApiException e) {
                if (e.code() != 404) throw e;
            }
        }
        return RestResponse.json(200, Json.bytes(out));
    }

    /** A PUT names its object in the body as in the URL: upstream's checkName refuses an empty or missing name too. */
    private static void checkName(RequestTarget t, ObjectNode body) {
        String name = Metadata.name(body);
        if (!t.name().equals(name)) {
            throw ApiException.badRequest("the name of the object (" + (name == null ? "" : name)
                    + ") does not match the name on the URL (" + t.name() + ")");
        }
    }

    private static void checkKind(ResourceType type, ObjectNode body) {
        String kind = Json.text(body, "kind");
        String apiVersion = Json.text(body, "apiVersion");
        if (kind != null && !kind.isEmpty() && !kind.equals(type.kind())) {
            throw ApiException.badRequest(type.kind() + " in version \"" + type.version()
                    + "\" cannot be handled as a " + type.kind() + ": the object provided is of kind " + kind);
        }
        // a type stored in another version (events.k8s.io Events as core/v1) takes that version too
        if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())
                && !(Versions.converts(type) && apiVersion.equals("v1"))) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.apiVersion() + ")");
        }
    }

    /**
     * One object as JSON, from the bytes it already has when its type needs no conversion, or as
     * a one-row Table.
     */
    RestResponse object(int status, RequestTarget t, CachedObject obj, RestRequest req) {
        if (Versions.converts(t.type()) || (req.method().equals("GET") && MediaTypes.wantsTable(req.accept()))) {
            return object(status, t, obj.object(), req);
        }
        return RestResponse.json(status, obj.json());
    }

    /** One object, as JSON or as a one-row Table. */
    RestResponse object(int status, RequestTarget t, ObjectNode stored, RestRequest req) {
        ObjectNode out = Versions.toExternal(t.type(), stored);
        if (req.method().equals("GET") && MediaTypes.wantsTable(req.accept())) {
            ObjectNode table = tables.table(t.type(), List.of(out), Metadata.resourceVersion(out), null,
                    req.param("includeObject"), true, clock.instant());
            return RestResponse.json(200, Json.bytes(table));
        }
        return RestResponse.json(status, Json.bytes(out));
    }
}
