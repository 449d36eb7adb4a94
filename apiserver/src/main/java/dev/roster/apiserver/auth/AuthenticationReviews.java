package dev.roster.apiserver.auth;

import dev.roster.api.Json;
import dev.roster.api.Timestamps;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.rest.Review;
import dev.roster.apiserver.rest.Reviews;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * authentication.k8s.io's reviews: TokenReview (who does this token stand for, for these audiences) and
 * SelfSubjectReview (who am I: {@code kubectl auth whoami}), v1 and the v1beta1 kubectl 1.27 asks for.
 */
public final class AuthenticationReviews {
    private static final String GROUP = "authentication.k8s.io";
    /** Who a request without credentials is (plain-HTTP test servers), as upstream's anonymous authenticator says. */
    static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", List.of("system:unauthenticated"));

    private AuthenticationReviews() {}

    public static void register(Reviews reviews, List<TokenAuthenticator> tokens, List<String> apiAudiences, Clock clock) {
        reviews.register(GROUP + "/v1/tokenreviews", tokenReview(tokens, apiAudiences));
        Review self = (target, body, request) -> selfSubjectReview(request.user(), clock);
        reviews.register(GROUP + "/v1/selfsubjectreviews", self);
        reviews.register(GROUP + "/v1beta1/selfsubjectreviews", self);
    }

    static Review tokenReview(List<TokenAuthenticator> tokens, List<String> apiAudiences) {
        return (target, body, request) -> {
            JsonNode spec = body.path("spec");
            String token = spec.path("token").asString("");
            if (token.isEmpty()) throw ApiException.badRequest("token is required for TokenReview in " + GROUP);
            List<String> audiences = new ArrayList<>();
            for (JsonNode a : spec.path("audiences")) audiences.add(a.asString(""));
            boolean asked = !audiences.isEmpty();
            if (!asked) audiences.addAll(apiAudiences);
            ObjectNode out = body.deepCopy();
            ObjectNode status = out.putObject("status");
            Optional<TokenAuthenticator.Authenticated> found = Optional.empty();
            List<String> errors = new ArrayList<>();
            for (TokenAuthenticator a : tokens) {
                try {
                    found = a.authenticate(token, audiences);
                    if (found.isPresent()) break;
                } catch (InvalidToken e) {
                    errors.add(e.getMessage());
                }
            }
            if (found.isPresent()) {
                status.put("authenticated", true);
                userInfo(status.putObject("user"), found.get().user().authenticated());
                if (asked) found.get().audiences().forEach(status.putArray("audiences")::add);
                else apiAudiences.forEach(status.putArray("audiences")::add);
            } else {
                status.putObject("user");
                status.put("error", errors.isEmpty() ? "invalid bearer token" : "[invalid bearer token, " + String.join(", ", errors) + "]");
            }
            return out;
        };
    }

    static ObjectNode selfSubjectReview(UserInfo user, Clock clock) {
        ObjectNode out = Json.object();
        out.putObject("metadata").put("creationTimestamp", Timestamps.format(clock.instant()));
        userInfo(out.putObject("status").putObject("userInfo"), user == null ? ANONYMOUS : user);
        return out;
    }

    /** upstream's authentication/v1 UserInfo: username, uid, groups, extra; empty fields left out. */
    static void userInfo(ObjectNode into, UserInfo u) {
        into.put("username", u.name());
        if (!u.uid().isEmpty()) into.put("uid", u.uid());
        if (!u.groups().isEmpty()) u.groups().forEach(into.putArray("groups")::add);
        if (!u.extra().isEmpty()) {
            ObjectNode extra = into.putObject("extra");
            u.extra().forEach((k, v) -> v.forEach(extra.putArray(k)::add));
        }
    }
}
