package dev.roster.apiserver.authz;

import dev.roster.api.Json;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.http.RequestHeaders;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Upstream's impersonation filter: a request with {@code Impersonate-User} (and optionally {@code Impersonate-Group},
 * {@code Impersonate-Uid}, {@code Impersonate-Extra-KEY}) goes on as that user when the requester may
 * {@code impersonate} each of them: users, groups and serviceaccounts in the core group, uids and
 * userextras/KEY in authentication.k8s.io. A service account user without groups gets its service account groups;
 * every impersonated user gets {@code system:authenticated}. Refusals are upstream's 403 about the first one refused.
 */
public final class Impersonation implements Function<RestRequest, RestResponse> {
    static final String USER = "Impersonate-User";
    static final String GROUP = "Impersonate-Group";
    static final String UID = "Impersonate-Uid";
    static final String EXTRA = "Impersonate-Extra-";
    private static final String SA_PREFIX = "system:serviceaccount:";

    private final Authorizer authorizer;
    private final Function<RestRequest, RestResponse> next;

    /** Asks {@code authorizer} whether the requester may impersonate, then hands the request to {@code next}. */
    public Impersonation(Authorizer authorizer, Function<RestRequest, RestResponse> next) {
        this.authorizer = authorizer;
        this.next = next;
    }

    @Override
    public RestResponse apply(RestRequest req) {
        String user = req.header(USER);
        List<String> groups = RequestHeaders.all(req, GROUP);
        String uid = req.header(UID);
        List<String> extras = RequestHeaders.namesStartingWith(req, EXTRA);
        if (req.user() == null || (user == null && groups.isEmpty() && uid == null && extras.isEmpty())) return next.apply(req);
        try {
            if (user == null || user.isEmpty()) {
                throw ApiException.badRequest("requested impersonation of groups, a uid or extra fields without impersonating a user");
            }
            UserInfo requester = Authorization.authenticated(req.user());
            List<String> effectiveGroups = new ArrayList<>(groups);
            if (user.startsWith(SA_PREFIX) && user.substring(SA_PREFIX.length()).contains(":")) {
                String[] nsName = user.substring(SA_PREFIX.length()).split(":", 2);
                check(requester, "", "serviceaccounts", "", nsName[0], nsName[1]);
                if (groups.isEmpty()) {
                    effectiveGroups.add("system:serviceaccounts");
                    effectiveGroups.add("system:serviceaccounts:" + nsName[0]);
                }
            } else {
                check(requester, "", "users", "", "", user);
            }
            for (String g : groups) check(requester, "", "groups", "", "", g);
            if (uid != null) check(requester, "authentication.k8s.io", "uids", "", "", uid);
            java.util.Map<String, List<String>> extra = new java.util.TreeMap<>();
            for (String header : extras) {
                String key = decode(header.substring(EXTRA.length())).toLowerCase(java.util.Locale.ROOT);
                for (String value : RequestHeaders.all(req, header)) {
                    check(requester, "authentication.k8s.io", "userextras", key, "", value);
                    extra.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                }
            }
            UserInfo impersonated = withGroup(effectiveGroups, user, uid, extra,
                    user.equals("system:anonymous") ? "system:unauthenticated" : Authorization.AUTHENTICATED);
            return next.apply(Authorization.withUser(req, impersonated));
        } catch (ApiException e) {
            return RestResponse.json(e.code(), Json.bytes(e.toStatus()));
        }
    }

    private void check(UserInfo requester, String group, String resource, String subresource, String namespace, String name) {
        RequestAttributes a = new RequestAttributes(requester, "impersonate", true, group, "", resource, subresource, namespace, name, "");
        Decision d = authorizer.authorize(a);
        if (!d.allowed()) throw Forbidden.of(a, d.reason());
    }

    private static UserInfo withGroup(List<String> groups, String user, String uid, java.util.Map<String, List<String>> extra,
            String group) {
        List<String> g = new ArrayList<>(groups);
        if (!g.contains(group)) g.add(group);
        return new UserInfo(user, uid, g, extra);
    }

    /** Extra keys travel percent-encoded in header names, as upstream's clients send them. */
    private static String decode(String key) {
        try {
            return java.net.URLDecoder.decode(key.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return key;
        }
    }
}
