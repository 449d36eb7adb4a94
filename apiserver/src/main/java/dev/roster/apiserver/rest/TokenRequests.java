package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.api.Timestamps;
import dev.roster.api.admission.FieldError;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.auth.ServiceAccountClaims;
import dev.roster.apiserver.auth.ServiceAccountTokens;
import dev.roster.apiserver.cache.CachedObject;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST .../serviceaccounts/NAME/token}: upstream's TokenRequest. Checks the request as upstream does (duration
 * 10 minutes to 2^32 seconds, default one hour; a bound Pod, Node or Secret must exist, match a given uid, and a pod
 * must run as this ServiceAccount), then answers with a signed token. Like upstream, a pod-bound token asked for
 * 3607 seconds for the API server's own audience (what kubelets ask for projected volumes) is issued for a year and
 * carries the asked expiry as {@code warnafter}, so a refresh that comes late never breaks a running pod.
 */
public final class TokenRequests {
    public static final long DEFAULT_SECONDS = 3600;
    static final long MIN_SECONDS = 600;
    static final long MAX_SECONDS = 1L << 32;
    /** What kubelets ask for a projected token; upstream's WarnOnlyBoundTokenExpirationSeconds. */
    public static final long KUBELET_SECONDS = 3607;
    static final long EXTENDED_SECONDS = 365L * 24 * 60 * 60;
    private static final ResourceType TOKEN_REQUEST = ResourceType.review("authentication.k8s.io", "v1", "tokenrequests",
            "TokenRequest", true);

    private final ResourceStore store;
    private final ServiceAccountTokens tokens;
    private final List<String> apiAudiences;
    private final ResourceType serviceAccounts;
    private final ResourceType pods;
    private final ResourceType secrets;
    private final ResourceType nodes;

    public TokenRequests(ResourceStore store, ResourceRegistry registry, ServiceAccountTokens tokens, List<String> apiAudiences) {
        this.store = store;
        this.tokens = tokens;
        this.apiAudiences = List.copyOf(apiAudiences);
        this.serviceAccounts = registry.find("", "v1", "serviceaccounts").orElseThrow();
        this.pods = registry.find("", "v1", "pods").orElseThrow();
        this.secrets = registry.find("", "v1", "secrets").orElseThrow();
        this.nodes = registry.find("", "v1", "nodes").orElseThrow();
    }

    public RestResponse handle(RequestTarget t, RestRequest req) {
        if (!req.method().equals("POST")) throw ApiException.methodNotAllowed();
        ObjectNode body = BodyDecoder.object(req.contentType(), req.body().get());
        String kind = Json.text(body, "kind");
        if (kind != null && !kind.isEmpty() && !kind.equals("TokenRequest")) {
            throw ApiException.badRequest("the body of the request was in an unknown format: expected TokenRequest, got " + kind);
        }
        return RestResponse.json(201, Json.bytes(create(t.namespace(), t.name(), body)));
    }

    /** The answered TokenRequest for ServiceAccount {@code name} in {@code namespace}. */
    public ObjectNode create(String namespace, String name, ObjectNode body) {
        JsonNode meta = body.path("metadata");
        String bodyName = meta.path("name").asString("");
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            throw ApiException.invalid(TOKEN_REQUEST, name, List.of(FieldError.invalid("metadata.name", "\"" + bodyName + "\"",
                    "must match the service account name if specified")));
        }
        String bodyNs = meta.path("namespace").asString("");
        if (!bodyNs.isEmpty() && !bodyNs.equals(namespace)) {
            throw ApiException.invalid(TOKEN_REQUEST, name, List.of(FieldError.invalid("metadata.namespace", "\"" + bodyNs + "\"",
                    "must match the service account namespace if specified")));
        }
        CachedObject sa = store.find(serviceAccounts, namespace, name).orElseThrow(() -> ApiException.notFound(serviceAccounts, name));
        JsonNode spec = body.path("spec");
        List<String> audiences = new ArrayList<>();
        for (JsonNode a : spec.path("audiences")) audiences.add(a.asString(""));
        if (audiences.isEmpty()) audiences.addAll(apiAudiences);
        long seconds = spec.path("expirationSeconds").isNumber() ? spec.path("expirationSeconds").asLong() : DEFAULT_SECONDS;
        List<FieldError> errors = validate(seconds);
        if (!errors.isEmpty()) throw ApiException.invalid(TOKEN_REQUEST, "", errors);

        Bound bound = bound(namespace, name, spec.path("boundObjectRef"));
        Instant now = tokens.clock().instant();
        long lifetime = seconds;
        Instant warnAfter = null;
        if (bound.pod != null && seconds == KUBELET_SECONDS && apiAudiences.containsAll(audiences)) {
            warnAfter = now.plusSeconds(seconds);
            lifetime = EXTENDED_SECONDS;
        }
        String token = tokens.issue(new ServiceAccountClaims(namespace, name, Metadata.uid(sa.object()), bound.pod, bound.secret,
                bound.node, audiences, now, now.plusSeconds(lifetime), Metadata.newUid(), warnAfter));

        ObjectNode out = Json.object();
        out.put("kind", "TokenRequest");
        out.put("apiVersion", "authentication.k8s.io/v1");
        ObjectNode m = out.putObject("metadata");
        m.put("name", name);
        m.put("namespace", namespace);
        m.put("creationTimestamp", Timestamps.format(now));
        ObjectNode s = out.putObject("spec");
        audiences.forEach(s.putArray("audiences")::add);
        s.put("expirationSeconds", seconds);
        if (spec.path("boundObjectRef").isObject()) s.set("boundObjectRef", spec.path("boundObjectRef").deepCopy());
        else s.putNull("boundObjectRef");
        ObjectNode st = out.putObject("status");
        st.put("token", token);
        st.put("expirationTimestamp", Timestamps.format(now.plusSeconds(seconds)));
        return out;
    }

    /** Upstream's ValidateTokenRequest. */
    static List<FieldError> validate(long seconds) {
        if (seconds < MIN_SECONDS) {
            return List.of(FieldError.invalid("spec.expirationSeconds", Long.toString(seconds), "may not specify a duration less than 10 minutes"));
        }
        if (seconds > MAX_SECONDS) {
            return List.of(FieldError.invalid("spec.expirationSeconds", Long.toString(seconds), "may not specify a duration larger than 2^32 seconds"));
        }
        return List.of();
    }

    private record Bound(ServiceAccountClaims.Bound pod, ServiceAccountClaims.Bound secret, ServiceAccountClaims.Bound node) {}

    private Bound bound(String namespace, String saName, JsonNode ref) {
        if (!ref.isObject()) return new Bound(null, null, null);
        String apiVersion = ref.path("apiVersion").asString("");
        String kind = ref.path("kind").asString("");
        String refName = ref.path("name").asString("");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        ServiceAccountClaims.Bound pod = null, secret = null, node = null;
        String uid;
        if (group.isEmpty() && kind.equals("Pod")) {
            JsonNode p = store.find(pods, namespace, refName).orElseThrow(() -> ApiException.notFound(pods, refName)).object();
            if (!saName.equals(Json.text(p, "spec", "serviceAccountName"))) {
                throw ApiException.badRequest("cannot bind token for serviceaccount \"" + saName
                        + "\" to pod running with different serviceaccount name.");
            }
            uid = Metadata.uid(p);
            pod = new ServiceAccountClaims.Bound(refName, uid);
            String nodeName = Json.text(p, "spec", "nodeName");
            if (nodeName != null && !nodeName.isEmpty()) {
                String nodeUid = store.find(nodes, null, nodeName).map(n -> Metadata.uid(n.object())).orElse("");
                node = new ServiceAccountClaims.Bound(nodeName, nodeUid);
            }
        } else if (group.isEmpty() && kind.equals("Node")) {
            JsonNode n = store.find(nodes, null, refName).orElseThrow(() -> ApiException.notFound(nodes, refName)).object();
            uid = Metadata.uid(n);
            node = new ServiceAccountClaims.Bound(refName, uid);
        } else if (group.isEmpty() && kind.equals("Secret")) {
            JsonNode s = store.find(secrets, namespace, refName).orElseThrow(() -> ApiException.notFound(secrets, refName)).object();
            uid = Metadata.uid(s);
            secret = new ServiceAccountClaims.Bound(refName, uid);
        } else {
            throw ApiException.badRequest("cannot bind token to object of type " + group + "/" + version + ", Kind=" + kind);
        }
        String refUid = ref.path("uid").asString("");
        if (!refUid.isEmpty() && !refUid.equals(uid)) {
            throw ApiException.conflict(ResourceType.review(group, version, kind, kind, true), refName, "the UID in the bound object "
                    + "reference (" + refUid + ") does not match the UID in record. The object might have been deleted and then recreated");
        }
        return new Bound(pod, secret, node);
    }
}
