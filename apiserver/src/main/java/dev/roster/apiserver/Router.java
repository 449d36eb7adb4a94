package dev.roster.apiserver;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.discovery.Discovery;
import dev.roster.apiserver.http.BodyTooLarge;
import dev.roster.apiserver.http.GoInts;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import dev.roster.apiserver.openapi.OpenApi;
import dev.roster.apiserver.rest.RequestTarget;
import dev.roster.apiserver.rest.ResourceHandler;
import dev.roster.apiserver.rest.Reviews;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/** Maps URL paths to discovery, health, OpenAPI and resource handling; the one place errors become Status replies. */
public final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private static final long SLOW_MS = 1_000;

    private final ResourceRegistry registry;
    private final Discovery discovery;
    private final OpenApi openApi;
    private final ResourceHandler resources;
    private final KubeVersion version;
    private final BooleanSupplier ready;
    private final Reviews reviews;

    public Router(ResourceRegistry registry, Discovery discovery, OpenApi openApi, ResourceHandler resources,
            KubeVersion version, BooleanSupplier ready, Reviews reviews) {
        this.reviews = reviews;
        this.registry = registry;
        this.discovery = discovery;
        this.openApi = openApi;
        this.resources = resources;
        this.version = version;
        this.ready = ready;
    }

    public RestResponse handle(RestRequest req) {
        long start = System.nanoTime();
        if (log.isDebugEnabled()) {
            log.debug("{} {} {} accept={} upgrade={}", req.method(), req.path(), req.query(), req.accept(), req.header("Upgrade"));
        }
        try {
            RestResponse r = route(req);
            return pretty(req, r == null ? status(ApiException.pathNotFound()) : r);
        } catch (ApiException e) {
            return pretty(req, status(e));
        } catch (GoInts.BadParameter e) {
            return pretty(req, status(ApiException.badRequest(e.getMessage())));
        } catch (BodyTooLarge e) {
            return pretty(req, status(ApiException.requestEntityTooLarge(e.limit())));
        } catch (RuntimeException | StackOverflowError e) {
            // a bug: the client learns only that, the log gets the trace
            log.error("{} {} failed", req.method(), req.path(), e);
            return status(ApiException.internal("an internal error occurred; the API server's log has its details"));
        } finally {
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (ms > SLOW_MS && !req.flag("watch")) log.warn("slow request: {} {} took {} ms", req.method(), req.path(), ms);
        }
    }

    private static RestResponse pretty(RestRequest req, RestResponse r) {
        return req.pretty() ? r.indented() : r;
    }

    private static RestResponse status(ApiException e) {
        ObjectNode s = e.toStatus();
        return RestResponse.json(e.code(), Json.bytes(s));
    }

    private RestResponse route(RestRequest req) {
        String path = req.path();
        if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
        switch (path) {
            case "/version": return RestResponse.json(200, Json.bytes(version.toJson()));
            case "/healthz", "/livez", "/readyz":
                return ready.getAsBoolean() ? RestResponse.text(200, "ok") : RestResponse.text(500, "not ready");
            case "/api": return discovery.root(true, req.accept());
            case "/apis": return discovery.root(false, req.accept());
            case "/openapi/v3": return openApi.index();
            case "/openapi/v2", "/swagger-2.0.0.pb-v1": return openApi.v2(req);
            default: break;
        }
        if (path.startsWith("/healthz/") || path.startsWith("/livez/") || path.startsWith("/readyz/")) {
            return RestResponse.text(200, "ok");
        }
        if (path.startsWith("/openapi/v3/")) return openApi.groupVersion(path.substring("/openapi/v3/".length()), req);
        String[] seg = segments(path);
        if (seg.length >= 2 && seg[0].equals("api")) {
            return resourcePath(req, "", seg[1], Arrays.copyOfRange(seg, 2, seg.length));
        }
        if (seg.length >= 2 && seg[0].equals("apis")) {
            if (seg.length == 2) return discovery.group(seg[1], req.accept());
            return resourcePath(req, seg[1], seg[2], Arrays.copyOfRange(seg, 3, seg.length));
        }
        return null;
    }

    /** The non-empty segments of a path: a plain loop, as this runs on every request. */
    static String[] segments(String path) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(8);
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > start) out.add(path.substring(start, i));
                start = i + 1;
            }
        }
        return out.toArray(new String[0]);
    }

    private RestResponse resourcePath(RestRequest req, String group, String version, String[] rest) {
        String gv = group.isEmpty() ? version : group + "/" + version;
        if (rest.length == 0) {
            return req.method().equals("GET") ? discovery.resources(gv) : null;
        }
        RequestTarget t = target(group, version, rest);
        if (t == null) return null;
        if (t.type().isReview()) return reviews.handle(t, req);
        if (t.type().namespaced() && t.namespace() == null && !t.isCollection()) return null;
        if (t.type().namespaced() && t.namespace() == null && !req.method().equals("GET")) {
            throw ApiException.methodNotAllowed();
        }
        return resources.handle(t, req);
    }

    /** Resolves the path segments after the group-version; null when nothing is served there. */
    private RequestTarget target(String group, String version, String[] rest) {
        if (rest[0].equals("namespaces") && rest.length >= 3) {
            Optional<ResourceType> inNs = registry.find(group, version, rest[2]);
            if (inNs.isPresent() && inNs.get().namespaced()) {
                if (rest.length > 5) return null;
                return new RequestTarget(inNs.get(), rest[1], rest.length > 3 ? rest[3] : null, rest.length > 4 ? rest[4] : null);
            }
        }
        Optional<ResourceType> type = registry.find(group, version, rest[0]);
        if (type.isEmpty() || rest.length > 3) return null;
        ResourceType t = type.get();
        if (t.namespaced() && rest.length > 1) return null;
        return new RequestTarget(t, null, rest.length > 1 ? rest[1] : null, rest.length > 2 ? rest[2] : null);
    }
}
