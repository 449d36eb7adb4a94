package dev.roster.apiserver.rest;

import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.http.RestRequest;
import tools.jackson.databind.JsonNode;

/**
 * A delete's options from its body (a DeleteOptions object) and query parameters.
 *
 * @param gracePeriodSeconds null when not given
 * @param propagationPolicy Background, Foreground, Orphan, or null for the resource default
 */
public record DeleteOptions(
        Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
        String preconditionResourceVersion, boolean dryRun) {

    static DeleteOptions from(RestRequest req, JsonNode body) {
        Long grace = null;
        String policy = null;
        String uid = null;
        String rv = null;
        boolean dryRun = false;
        if (body != null && body.isObject()) {
            if (body.hasNonNull("gracePeriodSeconds")) grace = body.get("gracePeriodSeconds").asLong();
            if (body.hasNonNull("propagationPolicy")) policy = body.get("propagationPolicy").asString();
            if (body.hasNonNull("orphanDependents") && policy == null) {
                policy = body.get("orphanDependents").asBoolean() ? "Orphan" : "Background";
            }
            uid = body.path("preconditions").path("uid").asString(null);
            rv = body.path("preconditions").path("resourceVersion").asString(null);
            for (JsonNode d : body.path("dryRun")) if (d.asString().equals("All")) dryRun = true;
        }
        if (req.param("gracePeriodSeconds") != null) {
            try {
                grace = Long.parseLong(req.param("gracePeriodSeconds"));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid gracePeriodSeconds: " + req.param("gracePeriodSeconds"));
            }
        }
        if (req.param("propagationPolicy") != null) policy = req.param("propagationPolicy");
        if (req.param("orphanDependents") != null && policy == null) policy = req.flag("orphanDependents") ? "Orphan" : "Background";
        if ("All".equals(req.param("dryRun"))) dryRun = true;
        if (policy != null && !policy.equals("Background") && !policy.equals("Foreground") && !policy.equals("Orphan")) {
            throw ApiException.badRequest("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \""
                    + policy + "\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"");
        }
        if (grace != null && grace < 0) grace = 1L;
        return new DeleteOptions(grace, policy, uid, rv, dryRun);
    }
}
