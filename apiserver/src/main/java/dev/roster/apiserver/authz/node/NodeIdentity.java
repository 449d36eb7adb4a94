package dev.roster.apiserver.authz.node;

import dev.roster.apiserver.auth.UserInfo;
import java.util.Optional;

/**
 * Which node a user is, as upstream's node identifier reads it: a user named {@code system:node:<name>} in the group
 * {@code system:nodes}. Anyone else is not a node, whatever the name says.
 */
public final class NodeIdentity {
    public static final String USER_PREFIX = "system:node:";
    public static final String GROUP = "system:nodes";

    private NodeIdentity() {}

    /** The node's name ("" when the user name has nothing after the prefix), or empty when the user is not a node. */
    public static Optional<String> of(UserInfo user) {
        if (user == null || !user.name().startsWith(USER_PREFIX) || !user.groups().contains(GROUP)) return Optional.empty();
        return Optional.of(user.name().substring(USER_PREFIX.length()));
    }
}
