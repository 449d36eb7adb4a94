package dev.roster.apiserver.rest;

import dev.roster.apiserver.auth.UserInfo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validating admission step that depends on who writes (node restriction, RBAC's escalation and bind checks):
 * it runs after defaulting and allocation, just before the write is stored, and refuses by throwing an
 * {@link dev.roster.apiserver.ApiException} (403 Forbidden as upstream's plugins do, or 422). Writes made inside
 * the API server itself (bootstrap, no user) skip these checks.
 */
@FunctionalInterface
public interface AdmissionCheck {
    enum Operation { CREATE, UPDATE, DELETE }

    /**
     * @param object the object as it will be stored (for DELETE, the stored object)
     * @param old the stored version for UPDATE and DELETE, null for CREATE
     */
    record Attributes(UserInfo user, Operation operation, RequestTarget target, ObjectNode object, JsonNode old) {}

    void check(Attributes attributes);
}
