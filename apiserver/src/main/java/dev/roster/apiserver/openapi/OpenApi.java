package dev.roster.apiserver.openapi;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.api.schema.Schema;
import dev.roster.api.schema.SchemaCatalog;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI documents: {@code /openapi/v3} (an index of per group-version documents, each
 * with the paths of its resources and the schemas they use) and {@code /openapi/v2} (everything
 * in one document, as JSON or as gnostic protobuf for kubectl 1.27/1.28). All are generated once
 * from the {@link SchemaCatalog}, on first request, and then served from memory.
 */
public final class OpenApi {
    /**
     * What the protobuf document is sent as: kubectl asks for
     * {@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}, but Go's media type
     * parser rejects the '@' in a reply, so upstream answers with plain octet-stream.
     */
    static final String V2_PROTOBUF = "application/octet-stream";

    private final ResourceRegistry registry;
    private final String kubeVersion;
    private final SchemaCatalog catalog = SchemaCatalog.builtin();
    private volatile Map<String, Document> v3;
    private volatile Document v2Json;
    private volatile Document v2Proto;

    /** A rendered document and the hash it is served under. */
    private record Document(byte[] bytes, String hash) {
        static Document of(byte[] bytes) {
            return new Document(bytes, OpenApi.hash(bytes));
        }
    }

    public OpenApi(ResourceRegistry registry, String kubeVersion) {
        this.registry = registry;
        this.kubeVersion = kubeVersion;
    }

    /** GET /openapi/v3: where each group-version document is, with its content hash. */
    public RestResponse index() {
        ObjectNode root = Json.object();
        ObjectNode paths = root.putObject("paths");
        v3().forEach((path, doc) ->
                paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + doc.hash()));
        return RestResponse.json(200, Json.bytes(root)).header("Cache-Control", "no-cache, private");
    }

    /** GET /openapi/v3/api/v1 or /openapi/v3/apis/{group}/{version}; null when not served. */
    public RestResponse groupVersion(String path, RestRequest req) {
        Document doc = v3().get(path);
        if (doc == null) return null;
        String hash = req.param("hash");
        if (hash != null && !hash.equals(doc.hash())) {
            // an old hash: send the client to the current document, as upstream does
            return RestResponse.of(301, "text/plain; charset=utf-8", new byte[0])
                    .header("Location", "/openapi/v3/" + path + "?hash=" + doc.hash());
        }
        return cached(RestResponse.json(200, doc.bytes()), doc, hash != null);
    }

    /** GET /openapi/v2 (and the old /swagger-2.0.0.pb-v1): JSON, or protobuf when asked for. */
    public RestResponse v2(RestRequest req) {
        String accept = req.accept();
        boolean proto = accept.contains("application/com.github.proto-openapi.spec.v2")
                || req.path().endsWith(".pb-v1");
        Document doc = proto ? v2Proto() : v2Json();
        String etag = "\"" + doc.hash() + "\"";
        if (etag.equals(req.header("If-None-Match"))) {
            return RestResponse.of(304, proto ? V2_PROTOBUF : RestResponse.JSON, new byte[0]).header("ETag", etag);
        }
        return RestResponse.of(200, proto ? V2_PROTOBUF : RestResponse.JSON, doc.bytes())
                .header("ETag", etag).header("Cache-Control", "no-cache, private");
    }

    private static RestResponse cached(RestResponse r, Document doc, boolean immutable) {
        r.header("ETag", "\"" + doc.hash() + "\"");
        if (immutable) {
            // the URL names the content: clients may keep it for as long as they like
            r.header("Cache-Control", "public, immutable");
            r.header("Expires", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusYears(1)));
        } else {
            r.header("Cache-Control", "no-cache, private");
        }
        return r;
    }

    private Map<String, Document> v3() {
        Map<String, Document> docs = v3;
        if (docs == null) {
            synchronized (this) {
                if (v3 == null) {
                    Map<String, Document> m = new LinkedHashMap<>();
                    for (String gv : registry.groupVersions()) {
                        m.put(gv.contains("/") ? "apis/" + gv : "api/" + gv, Document.of(Json.bytes(v3Document(gv))));
                    }
                    v3 = m;
                }
                docs = v3;
            }
        }
        return docs;
    }

    private synchronized Document v2Json() {
        if (v2Json == null) v2Json = Document.of(Json.bytes(v2Document()));
        return v2Json;
    }

    private synchronized Document v2Proto() {
        if (v2Proto == null) v2Proto = Document.of(GnosticV2.encode(v2Document()));
        return v2Proto;
    }

    /** One group-version's document: its resources' paths and every schema they reach. */
    ObjectNode v3Document(String gv) {
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", kubeVersion);
        ObjectNode paths = doc.putObject("paths");
        OpenApiPaths builder = new OpenApiPaths(true);
        List<ResourceType> types = registry.all().stream().filter(t -> t.groupVersion().equals(gv)).toList();
        types.forEach(t -> builder.add(paths, t));
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        SchemaCatalog.closure(roots(types)).forEach((name, s) -> schemas.set(name, SchemaJson.V3.component(s)));
        return doc;
    }

    /** The single v2 document of all group-versions. */
    ObjectNode v2Document() {
        ObjectNode doc = Json.object();
        doc.put("swagger", "2.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", kubeVersion);
        ObjectNode paths = doc.putObject("paths");
        OpenApiPaths builder = new OpenApiPaths(false);
        registry.all().forEach(t -> builder.add(paths, t));
        ObjectNode defs = doc.putObject("definitions");
        SchemaCatalog.closure(roots(registry.all())).forEach((name, s) -> defs.set(name, SchemaJson.V2.component(s)));
        return doc;
    }

    private List<Schema> roots(List<ResourceType> types) {
        // every kind first, so shared types (Status, DeleteOptions) list all their kinds whatever
        // document is asked for first
        catalog.buildAll();
        List<Schema> roots = new ArrayList<>();
        for (ResourceType t : types) {
            addIfPresent(roots, catalog.kind(t));
            addIfPresent(roots, catalog.kind(t.group(), t.version(), t.listKind()));
            if (t.hasSubresource("scale")) addIfPresent(roots, catalog.kind("autoscaling", "v1", "Scale"));
            addIfPresent(roots, catalog.kind(t.group(), "v1", "DeleteOptions"));
            addIfPresent(roots, catalog.kind(t.group(), "v1", "Status"));
        }
        return roots;
    }

    private static void addIfPresent(List<Schema> roots, Schema s) {
        if (s != null) roots.add(s);
    }

    static String hash(byte[] doc) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-512").digest(doc);
            StringBuilder b = new StringBuilder();
            for (byte x : d) b.append(String.format("%02X", x));
            return b.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
