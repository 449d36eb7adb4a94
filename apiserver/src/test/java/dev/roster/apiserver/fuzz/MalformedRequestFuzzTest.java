package dev.roster.apiserver.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.ResourceType;
import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import dev.roster.storage.KeyValue;
import dev.roster.storage.Storage;
import dev.roster.storage.memory.MemoryStorage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Thousands of malformed and mutated requests to every resource type and verb of an in-process API
 * server (through its router, without sockets, for speed). Every request is built so that it must
 * change nothing: a body that cannot decode, the wrong kind, a name that is no string, nesting past
 * the limit, a selector or patch that is invalid, or any mutation at all under {@code dryRun=All}.
 * After each one the server still answers, the reply was no 5xx and names no Java class, and storage
 * holds exactly the keys and revisions it held before.
 */
class MalformedRequestFuzzTest {
    /** A Java stack frame, exception or class name of the libraries the server uses. */
    private static final Pattern JAVA_TRACE = Pattern.compile(
            "\\tat |Exception|StackOverflow|`[A-Z][A-Za-z]+\\.[A-Za-z_]+|\\b(java|javax|jdk|sun|tools\\.jackson|org\\.snakeyaml|com\\.google|dev\\.roster|io\\.helidon)\\.[a-zA-Z]");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/yaml",
            "application/vnd.kubernetes.protobuf", "application/merge-patch+json", "application/json-patch+json",
            "application/strategic-merge-patch+json", "application/apply-patch+yaml", "text/plain", "", "x/y; charset=%");
    private static final List<String> WRITES = List.of("POST", "PUT", "PATCH", "DELETE");
    /** Objects that exist, so that updates and patches get as far as the decoded body. */
    private static final List<String> EXISTING = List.of("/api/v1/namespaces/default",
            "/api/v1/namespaces/default/configmaps/fuzz-cm", "/api/v1/namespaces/default/services/kubernetes",
            "/apis/apps/v1/namespaces/default/deployments/fuzz-deploy", "/api/v1/namespaces/default/pods/fuzz-pod");

    private static Storage storage;
    private static ApiServer server;
    private static List<ResourceType> types;
    private static Map<String, Long> before;
    private static long revisionBefore;

    @BeforeContainer
    static void start() {
        storage = new MemoryStorage();
        server = new ApiServer(ApiServerConfig.loopback(0), storage).start();
        types = server.registry().all();
        send("POST", "/api/v1/namespaces/default/configmaps", Map.of(), "application/json",
                "{\"metadata\":{\"name\":\"fuzz-cm\",\"labels\":{\"a\":\"b\"}},\"data\":{\"k\":\"v\"}}");
        send("POST", "/apis/apps/v1/namespaces/default/deployments", Map.of(), "application/json",
                "{\"metadata\":{\"name\":\"fuzz-deploy\"},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"x\"}},"
                        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"x\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}");
        send("POST", "/api/v1/namespaces/default/pods", Map.of(), "application/json",
                "{\"metadata\":{\"name\":\"fuzz-pod\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}");
        before = snapshot();
        revisionBefore = storage.currentRevision();
        assertThat(before).containsKeys("/registry/core/configmaps/default/fuzz-cm");
    }

    @AfterContainer
    static void stop() {
        server.close();
        storage.close();
    }

    /** One request and why it must change nothing. */
    record Req(String kind, String method, String path, Map<String, List<String>> query, String contentType, byte[] body) {
        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return kind + ": " + method + " " + path + " " + query + " [" + contentType + "] "
                    + (text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + ")" : text);
        }
    }

    @Property(tries = 4000, seed = "1313")
    void malformedRequestsChangeNothingAndNeverFail(@ForAll("requests") Req req) {
        RestResponse r = server.handle(new RestRequest(req.method(), req.path(), req.query(),
                h -> h.equalsIgnoreCase("Content-Type") ? req.contentType() : null, req::body));
        String body = r.body() == null ? "" : new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.status()).as("%s → %s", req, body).isLessThan(500);
        assertThat(JAVA_TRACE.matcher(body).find()).as("Java names in %s → %s", req, body).isFalse();
        assertThat(storage.currentRevision()).as("a write happened: %s → %s", req, body).isEqualTo(revisionBefore);
        assertThat(snapshot()).as("storage changed: %s", req).isEqualTo(before);
        assertThat(send("GET", "/api/v1/namespaces/default/configmaps/fuzz-cm", Map.of(), null, "").status()).isEqualTo(200);
    }

    @Provide
    Arbitrary<Req> requests() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, garbage()),
                net.jqwik.api.Tuple.of(3, truncated()),
                net.jqwik.api.Tuple.of(2, wrongKindOrName()),
                net.jqwik.api.Tuple.of(1, deep()),
                net.jqwik.api.Tuple.of(2, badSelectors()),
                net.jqwik.api.Tuple.of(2, badPatches()),
                net.jqwik.api.Tuple.of(4, dryRunMutations()),
                net.jqwik.api.Tuple.of(1, badParameters()));
    }

    /** Any resource path: a collection, a named object (existing or not), or a subresource of one. */
    private Arbitrary<String> paths() {
        Arbitrary<String> typed = Arbitraries.of(types).flatMap(t -> {
            String collection = collection(t);
            List<String> subs = t.subresources().isEmpty() ? List.of("") : t.subresources();
            return Arbitraries.oneOf(Arbitraries.just(collection),
                    Arbitraries.of("fuzz-missing", "fuzz-cm", "default", "kubernetes").map(n -> collection + "/" + n),
                    Arbitraries.of(subs).map(s -> collection + "/fuzz-missing" + (s.isEmpty() ? "" : "/" + s)));
        });
        return Arbitraries.oneOf(typed, Arbitraries.of(EXISTING),
                Arbitraries.of(EXISTING).map(p -> p + "/status"), Arbitraries.just("/apis/apps/v1/namespaces/default/deployments/fuzz-deploy/scale"));
    }

    private static String collection(ResourceType t) {
        String base = t.group().isEmpty() ? "/api/" + t.version() : "/apis/" + t.group() + "/" + t.version();
        return t.namespaced() ? base + "/namespaces/default/" + t.resource() : base + "/" + t.resource();
    }

    private static String validObject(ResourceType t, String name) {
        return "{\"apiVersion\":\"" + t.apiVersion() + "\",\"kind\":\"" + t.kind() + "\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"fuzz\":\"yes\"}},\"spec\":{\"x\":[1,2,{\"y\":\"z\"}]},\"data\":{\"k\":\"v\"}}";
    }

    /** Bytes that are no JSON, YAML or protobuf: they start with NUL, which none of them allows there. */
    private Arbitrary<Req> garbage() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(b -> {
            byte[] out = new byte[b.length + 1];
            System.arraycopy(b, 0, out, 1, b.length);
            return out;
        });
        return Combinators.combine(Arbitraries.of(WRITES), paths(), Arbitraries.of(CONTENT_TYPES), bytes)
                .as((m, p, ct, b) -> new Req("garbage", m, p, Map.of(), ct, b));
    }

    /** A valid object cut short: an unclosed JSON object is neither JSON nor YAML. */
    private Arbitrary<Req> truncated() {
        return Arbitraries.of(types).flatMap(t -> {
            String full = validObject(t, "fuzz-new");
            return Combinators.combine(Arbitraries.of("POST", "PUT", "PATCH"),
                    Arbitraries.of(collection(t), collection(t) + "/fuzz-new", collection(t) + "/fuzz-cm"),
                    Arbitraries.of("application/json", "application/yaml", "application/merge-patch+json",
                            "application/strategic-merge-patch+json", "application/apply-patch+yaml"),
                    Arbitraries.integers().between(1, full.length() - 1))
                    .as((m, p, ct, n) -> new Req("truncated", m, p, Map.of(), ct, full.substring(0, n).getBytes(StandardCharsets.UTF_8)));
        });
    }

    /** A whole object of another kind or apiVersion than the URL's, or whose name is no string. */
    private Arbitrary<Req> wrongKindOrName() {
        return Arbitraries.of(types).flatMap(t -> {
            String good = validObject(t, "fuzz-new");
            Arbitrary<String> bodies = Arbitraries.of(
                    good.replace("\"kind\":\"" + t.kind() + "\"", "\"kind\":\"NoSuchKind\""),
                    good.replace("\"apiVersion\":\"" + t.apiVersion() + "\"", "\"apiVersion\":\"nosuch.example/v9\""),
                    good.replace("\"name\":\"fuzz-new\"", "\"name\":7"),
                    good.replace("\"name\":\"fuzz-new\"", "\"name\":[\"a\"]"),
                    good.replace("\"name\":\"fuzz-new\"", "\"name\":{\"a\":1}"),
                    good.replace("\"name\":\"fuzz-new\"", "\"name\":true"),
                    good.replace("\"name\":\"fuzz-new\"", "\"name\":\"\""),
                    good.replace("\"name\":\"fuzz-new\"", "\"name\":null"),
                    good.replace("\"name\":\"fuzz-new\",", "").replace("\"metadata\":{\"labels\":{\"fuzz\":\"yes\"}}", "\"metadata\":\"x\""),
                    good.replace("\"metadata\":{\"name\":\"fuzz-new\",\"labels\":{\"fuzz\":\"yes\"}}", "\"metadata\":[]"),
                    "[" + good + "]", "\"just a string\"", "42", "null");
            return Combinators.combine(Arbitraries.of("POST", "PUT"), Arbitraries.of(collection(t), collection(t) + "/fuzz-cm"), bodies)
                    .as((m, p, b) -> new Req("wrong kind or name", m, p, Map.of(), "application/json", b.getBytes(StandardCharsets.UTF_8)));
        });
    }

    /** Nesting past the decoder's limit, in JSON and in YAML (block and flow). */
    private Arbitrary<Req> deep() {
        Arbitrary<String> bodies = Arbitraries.integers().between(1_001, 5_000).flatMap(d -> Arbitraries.of(
                "{\"metadata\":{\"name\":\"deep\"},\"spec\":" + "[".repeat(d) + "]".repeat(d) + "}",
                "{\"metadata\":{\"name\":\"deep\"},\"spec\":" + "{\"a\":".repeat(d) + "1" + "}".repeat(d) + "}",
                "metadata: {name: deep}\nspec: " + "[".repeat(d) + "]".repeat(d) + "\n",
                "[".repeat(d)));
        return Combinators.combine(Arbitraries.of("POST", "PUT", "PATCH"), paths(),
                        Arbitraries.of("application/json", "application/yaml", "application/merge-patch+json", "application/apply-patch+yaml"), bodies)
                .as((m, p, ct, b) -> new Req("deep", m, p, Map.of(), ct, b.getBytes(StandardCharsets.UTF_8)));
    }

    /** Label and field selectors that cannot parse, on lists, watches and collection deletes. */
    private Arbitrary<Req> badSelectors() {
        Arbitrary<String> invalid = Combinators.combine(Arbitraries.strings().ofMaxLength(20),
                        Arbitraries.of(" in (", "!=", "==", " notin x", "=(", ",,", "!", "a b c", "=\u0000", "%zz"))
                .as((s, bad) -> s + bad);
        return Arbitraries.of(types).flatMap(t -> Combinators.combine(invalid, Arbitraries.of("labelSelector", "fieldSelector"),
                        Arbitraries.of("GET list", "GET watch", "DELETE"))
                .as((sel, param, verb) -> {
                    Map<String, List<String>> q = new LinkedHashMap<>();
                    q.put(param, List.of(sel));
                    if (verb.equals("GET watch")) q.put("watch", List.of("true"));
                    return new Req("bad selector", verb.startsWith("GET") ? "GET" : "DELETE", collection(t), q, "", new byte[0]);
                }))
                .filter(r -> !selectorIsValid(r));
    }

    /** The server's own answer decides: a selector it takes is no malformed input, so it is not sent as one. */
    private static boolean selectorIsValid(Req r) {
        RestResponse probe = server.handle(new RestRequest("GET", r.path(), r.query().entrySet().stream()
                .filter(e -> !e.getKey().equals("watch")).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                h -> null, () -> new byte[0]));
        return probe.status() == 200;
    }

    /** Patches that cannot apply: failing tests, bad ops and paths, non-object results, changed identity. */
    private Arbitrary<Req> badPatches() {
        Arbitrary<String[]> patches = Arbitraries.of(
                new String[] {"application/json-patch+json", "[{\"op\":\"test\",\"path\":\"/metadata/name\",\"value\":\"other\"},{\"op\":\"remove\",\"path\":\"/metadata\"}]"},
                new String[] {"application/json-patch+json", "[{\"op\":\"frobnicate\",\"path\":\"/a\"}]"},
                new String[] {"application/json-patch+json", "[{\"op\":\"remove\",\"path\":\"/no/such/path\"}]"},
                new String[] {"application/json-patch+json", "[{\"op\":\"replace\",\"path\":\"\",\"value\":[1]}]"},
                new String[] {"application/json-patch+json", "[{\"op\":\"add\"}]"},
                new String[] {"application/json-patch+json", "{\"op\":\"add\",\"path\":\"/a\",\"value\":1}"},
                new String[] {"application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/metadata/labels/x\",\"value\":1},{\"op\":\"test\",\"path\":\"/kind\",\"value\":\"Nope\"}]"},
                new String[] {"application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/metadata/name\",\"value\":\"renamed\"}]"},
                new String[] {"application/json-patch+json", "[{\"op\":\"move\",\"from\":\"/metadata\",\"path\":\"/metadata/x\"}]"},
                new String[] {"application/merge-patch+json", "[1,2]"},
                new String[] {"application/merge-patch+json", "{\"metadata\":{\"name\":\"renamed\"}}"},
                new String[] {"application/merge-patch+json", "{\"metadata\":{\"name\":5}}"},
                new String[] {"application/merge-patch+json", "{\"metadata\":{\"resourceVersion\":\"999999\",\"labels\":{\"x\":\"y\"}}}"},
                new String[] {"application/strategic-merge-patch+json", "{\"metadata\":{\"name\":\"renamed\"}}"},
                new String[] {"application/strategic-merge-patch+json", "{\"$patch\":\"frobnicate\"}"},
                new String[] {"application/strategic-merge-patch+json", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"$patch\":\"bogus\"}]}}}}"},
                new String[] {"application/strategic-merge-patch+json", "{\"metadata\":{\"labels\":{\"$patch\":\"nope\"}}}"},
                new String[] {"application/merge-patch+json", "{\"metadata\":{\"labels\":{\"x\":{\"y\":1}}}}"},
                new String[] {"application/merge-patch+json", "{\"metadata\":{\"labels\":{\"x\":\"y\"},\"annotations\":[1]}}"},
                new String[] {"application/strategic-merge-patch+json", "\"string\""},
                new String[] {"application/apply-patch+yaml", "metadata: {name: fuzz-cm}"},
                new String[] {"application/apply-patch+yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: fuzz-cm}"},
                new String[] {"application/apply-patch+yaml", "- a\n- b"},
                new String[] {"application/apply-patch+yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}"},
                new String[] {"application/json", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}"},
                new String[] {"text/plain", "{}"});
        return Combinators.combine(Arbitraries.of(EXISTING), patches)
                .as((p, patch) -> new Req("bad patch", "PATCH", p, Map.of(), patch[0], patch[1].getBytes(StandardCharsets.UTF_8)));
    }

    /** Any mutation of a valid body, sent with dryRun=All: whatever it decodes to, nothing is written. */
    private Arbitrary<Req> dryRunMutations() {
        return Arbitraries.of(types).flatMap(t -> {
            String full = validObject(t, "fuzz-new");
            Arbitrary<String> mutated = Combinators.combine(Arbitraries.integers().between(0, full.length() - 1),
                            Arbitraries.chars().with('{', '}', '[', ']', '"', ':', ',', '\\', '0', 'a', '\u00e9', '\n', ' '),
                            Arbitraries.of("replace", "insert", "delete", "duplicate"))
                    .as((i, c, op) -> switch (op) {
                        case "replace" -> full.substring(0, i) + c + full.substring(i + 1);
                        case "insert" -> full.substring(0, i) + c + full.substring(i);
                        case "delete" -> full.substring(0, i) + full.substring(i + 1);
                        default -> full.substring(0, i) + full.substring(i);
                    });
            return Combinators.combine(Arbitraries.of(WRITES), Arbitraries.oneOf(Arbitraries.of(collection(t), collection(t) + "/fuzz-new"),
                            Arbitraries.of(EXISTING)), Arbitraries.of(CONTENT_TYPES), mutated)
                    .as((m, p, ct, b) -> new Req("dry-run mutation", m, p, Map.of("dryRun", List.of("All")), ct,
                            b.getBytes(StandardCharsets.UTF_8)));
        });
    }

    /** Query parameters that do not parse, on reads and on writes to objects that do not exist. */
    private Arbitrary<Req> badParameters() {
        Arbitrary<Map<String, List<String>>> params = Arbitraries.of(
                Map.of("limit", List.of("abc")), Map.of("limit", List.of("-5")), Map.of("resourceVersion", List.of("xyz")),
                Map.of("resourceVersionMatch", List.of("Sometimes")), Map.of("timeoutSeconds", List.of("1e9")),
                Map.of("continue", List.of("!!!notbase64")), Map.of("gracePeriodSeconds", List.of("soon")),
                Map.of("propagationPolicy", List.of("Sideways")), Map.of("dryRun", List.of("Some")),
                Map.of("fieldValidation", List.of("Loose")), Map.of("fieldManager", List.of("x".repeat(200))),
                Map.of("watch", List.of("true"), "resourceVersion", List.of("-1")), Map.of("pretty", List.of("\u0000")));
        return Combinators.combine(Arbitraries.of("GET", "PUT", "PATCH", "DELETE", "POST"), Arbitraries.of(types), params)
                .as((m, t, q) -> {
                    String path = m.equals("GET") ? collection(t) : collection(t) + "/fuzz-missing";
                    byte[] body = m.equals("GET") || m.equals("DELETE") ? new byte[0] : "\u0000".getBytes(StandardCharsets.UTF_8);
                    return new Req("bad parameter", m, path, q, "application/json", body);
                })
                .filter(r -> !(r.method().equals("GET") && r.query().containsKey("watch") && isServed(r)));
    }

    /** A watch the server would start streams forever: only refused ones are sent. */
    private static boolean isServed(Req r) {
        return !server.handle(new RestRequest("GET", r.path(), r.query(), h -> null, () -> new byte[0])).isStream();
    }

    private static RestResponse send(String method, String path, Map<String, List<String>> query, String contentType, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        RestResponse r = server.handle(new RestRequest(method, path, query, h -> h.equalsIgnoreCase("Content-Type") ? contentType : null, () -> b));
        if (method.equals("POST")) assertThat(r.status()).as(path + " " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        return r;
    }

    /** Every key and its mod revision. */
    private static Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (KeyValue kv : storage.list("/", 0, null, 0).items()) out.put(kv.key(), kv.modRevision());
        return out;
    }
}
