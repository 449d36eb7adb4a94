package dev.roster.apiserver.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ServiceAccount tokens as users: {@code system:serviceaccount:<ns>:<name>} in {@code system:serviceaccounts} and
 * {@code system:serviceaccounts:<ns>}, with the ServiceAccount's uid. Besides what the token proves itself, the
 * ServiceAccount and the object it is bound to must still exist with the uids the token names, so deleting either
 * revokes it, as upstream's validator does.
 */
public record ServiceAccountTokenAuthenticator(ServiceAccountTokens tokens, Objects objects) implements TokenAuthenticator {
    public static final String ALL_GROUP = "system:serviceaccounts";
    static final String EXTRA = "authentication.kubernetes.io/";

    /** The uid of a live object, or null when there is none. */
    @FunctionalInterface
    public interface Objects {
        String uid(String resource, String namespace, String name);
    }

    @Override
    public Optional<Authenticated> authenticate(String token, List<String> audiences) throws InvalidToken {
        ServiceAccountClaims c;
        try {
            c = tokens.verify(token, audiences);
        } catch (ServiceAccountTokens.NotOurs e) {
            return Optional.empty();
        }
        String ns = c.namespace();
        live("serviceaccounts", "service account", ns, new ServiceAccountClaims.Bound(c.serviceAccount(), c.serviceAccountUid()));
        if (c.pod() != null) live("pods", "pod", ns, c.pod());
        if (c.secret() != null) live("secrets", "secret", ns, c.secret());
        Map<String, List<String>> extra = new LinkedHashMap<>();
        if (c.pod() != null) {
            extra.put(EXTRA + "pod-name", List.of(c.pod().name()));
            extra.put(EXTRA + "pod-uid", List.of(c.pod().uid()));
        }
        if (c.node() != null) {
            extra.put(EXTRA + "node-name", List.of(c.node().name()));
            if (!c.node().uid().isEmpty()) extra.put(EXTRA + "node-uid", List.of(c.node().uid()));
        }
        if (!c.id().isEmpty()) extra.put(EXTRA + "credential-id", List.of("JTI=" + c.id()));
        UserInfo user = new UserInfo(c.subject(), c.serviceAccountUid(), List.of(ALL_GROUP, ALL_GROUP + ":" + ns), extra);
        List<String> good = new ArrayList<>(audiences);
        good.retainAll(c.audiences());
        return Optional.of(new Authenticated(user, good));
    }

    private void live(String resource, String what, String ns, ServiceAccountClaims.Bound ref) throws InvalidToken {
        String uid = objects.uid(resource, ns, ref.name());
        if (uid == null) throw new InvalidToken(what + " " + ns + "/" + ref.name() + " has been deleted");
        if (!ref.uid().isEmpty() && !uid.equals(ref.uid())) {
            throw new InvalidToken(what + " UID (" + uid + ") does not match claim (" + ref.uid() + ")");
        }
    }
}
