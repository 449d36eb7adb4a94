package dev.roster.apiserver.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who sent a request, as an authenticator found out: the user name, uid, groups and extra values authorization and
 * the review APIs read (upstream's user.Info). A client certificate names no uid; a ServiceAccount token names the
 * ServiceAccount's uid and, bound to a pod, the pod in {@code extra}.
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
    /** What every authenticated user is also a member of, as upstream's AuthenticatedGroupAdder adds. */
    public static final String AUTHENTICATED = "system:authenticated";

    public UserInfo {
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups);
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        extra.forEach((k, v) -> sorted.put(k, List.copyOf(v)));
        extra = Collections.unmodifiableMap(sorted);
    }

    public UserInfo(String name, List<String> groups) {
        this(name, "", groups, Map.of());
    }

    /** The same user, also in {@link #AUTHENTICATED} (once). */
    public UserInfo authenticated() {
        if (groups.contains(AUTHENTICATED)) return this;
        List<String> g = new ArrayList<>(groups);
        g.add(AUTHENTICATED);
        return new UserInfo(name, uid, g, extra);
    }
}
