package dev.roster.apiserver.authz;

import dev.roster.api.Json;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import java.util.function.Function;

/**
 * The step after authentication: a request that carries a user is put to the authorizer, and one it denies gets
 * upstream's 403. Requests without a user (plain-HTTP tests; anonymous health checks) pass, as do those the authorizer
 * has no opinion on: the RBAC authorizer, behind this one in the chain, decides those.
 */
public final class AuthorizationGate implements Function<RestRequest, RestResponse> {
    private final Authorizer authorizer;
    private final Function<RestRequest, RestResponse> next;

    public AuthorizationGate(Authorizer authorizer, Function<RestRequest, RestResponse> next) {
        this.authorizer = authorizer;
        this.next = next;
    }

    @Override
    public RestResponse apply(RestRequest req) {
        if (req.user() == null) return next.apply(req);
        RequestAttributes a = RequestInfo.of(req);
        Decision d = authorizer.authorize(a);
        if (d.kind() != Decision.Kind.DENY) return next.apply(req);
        ApiException e = Forbidden.unauthorized(a, d.reason());
        return RestResponse.json(e.code(), Json.bytes(e.toStatus()));
    }
}
