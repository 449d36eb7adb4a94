package dev.roster.apiserver.auth;

import java.time.Instant;
import java.util.List;

/**
 * What a ServiceAccount token says, as upstream's bound tokens say it: the subject
 * {@code system:serviceaccount:<namespace>:<name>}, the audiences, issue and expiry times, a unique id, and under the
 * {@code kubernetes.io} claim the namespace, the ServiceAccount and the object the token is bound to (a pod, with
 * its node, or a secret).
 *
 * @param pod the pod the token is bound to, or null
 * @param secret the secret the token is bound to, or null
 * @param node the node of the bound pod (its uid may be empty), or null
 * @param warnAfter for an extended pod token, when it would have expired as asked; otherwise null
 */
public record ServiceAccountClaims(String namespace, String serviceAccount, String serviceAccountUid, Bound pod,
        Bound secret, Bound node, List<String> audiences, Instant issuedAt, Instant expiry, String id, Instant warnAfter) {
    public static final String SUBJECT_PREFIX = "system:serviceaccount:";

    /** An object named in a token: its name and uid. */
    public record Bound(String name, String uid) {}

    public ServiceAccountClaims {
        audiences = List.copyOf(audiences);
    }

    public String subject() {
        return SUBJECT_PREFIX + namespace + ":" + serviceAccount;
    }
}
