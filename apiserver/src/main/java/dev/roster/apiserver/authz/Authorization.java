package dev.roster.apiserver.authz;

import dev.roster.api.Json;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate after authentication: asks the authorizer chain about the request as {@link RequestResolver} reads it
 * and answers upstream's 403 when nothing allows it. Requests without a user (plain-HTTP in-process servers, and
 * the public health and version paths) pass untouched. An authenticated user carries the group
 * {@code system:authenticated}, as upstream's authentication adds it, from here on.
 */
public final class Authorization implements Function<RestRequest, RestResponse> {
    private static final Logger log = LoggerFactory.getLogger(Authorization.class);
    public static final String AUTHENTICATED = UserInfo.AUTHENTICATED;

    private final Function<RestRequest, RestResponse> next;
    private final Authorizer authorizer;

    public Authorization(Function<RestRequest, RestResponse> next, Authorizer authorizer) {
        this.next = next;
        this.authorizer = authorizer;
    }

    @Override
    public RestResponse apply(RestRequest req) {
        if (req.user() == null) return next.apply(req);
        RestRequest r = withUser(req, authenticated(req.user()));
        RequestAttributes a = RequestResolver.resolve(r, r.user());
        Decision d = authorizer.authorize(a);
        if (d.allowed()) return next.apply(r);
        if (log.isDebugEnabled()) log.debug("forbidden: {} {} {}", a.user().name(), a.verb(), a.resourceRequest() ? a.resource() : a.path());
        ApiException e = Forbidden.of(a, d.reason());
        return RestResponse.json(e.code(), Json.bytes(e.toStatus()));
    }

    /** The user with {@code system:authenticated} among its groups. */
    public static UserInfo authenticated(UserInfo user) {
        return user.authenticated();
    }

    public static RestRequest withUser(RestRequest req, UserInfo user) {
        return new RestRequest(req.method(), req.path(), req.query(), req.header(), req.body(), user);
    }
}
