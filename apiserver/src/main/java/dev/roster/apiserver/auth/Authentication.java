package dev.roster.apiserver.auth;

import dev.roster.api.Json;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import java.util.function.Function;

/**
 * The gate in front of the API: a request whose credentials name a user goes on with that user attached; an
 * anonymous one gets upstream's 401 unless it asks for health or the version; one with a bearer token nobody
 * accepted gets 401 everywhere. Authorization (RBAC) reads the
 * attached {@link UserInfo} later; for now every authenticated user may do everything.
 */
public final class Authentication implements Function<RestRequest, RestResponse> {
    private final Function<RestRequest, RestResponse> next;

    public Authentication(Function<RestRequest, RestResponse> next) {
        this.next = next;
    }

    @Override
    public RestResponse apply(RestRequest req) {
        // a token nobody accepted is refused even where anonymous requests may go, as upstream refuses it
        boolean refusedToken = req.user() == null && BearerTokenAuthenticator.token(req.header("Authorization")) != null;
        if (req.user() != null || (isPublic(req.path()) && !refusedToken)) return next.apply(req);
        ApiException e = ApiException.unauthorized();
        return RestResponse.json(e.code(), Json.bytes(e.toStatus()));
    }

    /** What upstream's system:public-info-viewer lets anyone read: health checks and the version, with sub-paths. */
    static boolean isPublic(String path) {
        for (String p : new String[] {"/healthz", "/livez", "/readyz", "/version"}) {
            if (path.equals(p) || path.startsWith(p + "/")) return true;
        }
        return false;
    }
}
