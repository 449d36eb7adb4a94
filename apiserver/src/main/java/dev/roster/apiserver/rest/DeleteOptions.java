package dev.roster.apiserver.rest;

import static dev.roster.api.admission.GoFormat.quote;

import dev.roster.api.admission.FieldError;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.http.RestRequest;
import java.util.ArrayList;
import java.util.List;
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

    private static final List<String> POLICIES = List.of("Foreground", "Background", "Orphan");

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
        Long queryGrace = req.int64("gracePeriodSeconds");
        if (queryGrace != null) grace = queryGrace;
        String queryPolicy = req.param("propagationPolicy");
        Boolean orphan = req.optionalFlag("orphanDependents");
        List<FieldError> errs = new ArrayList<>();
        if (orphan != null && queryPolicy != null) {
            errs.add(FieldError.invalid("propagationPolicy", quote(queryPolicy), "orphanDependents and deletionPropagation cannot be both set"));
        }
        if (queryPolicy != null) policy = queryPolicy;
        if (orphan != null && policy == null) policy = orphan ? "Orphan" : "Background";
        if (policy != null && !POLICIES.contains(policy)) {
            errs.add(FieldError.notSupported("propagationPolicy", quote(policy), List.of("Foreground", "Background", "Orphan", "nil")));
        }
        errs.addAll(WriteOptions.dryRun(req));
        if (!errs.isEmpty()) throw ApiException.invalidOptions("DeleteOptions", errs);
        if (WriteOptions.isDryRun(req)) dryRun = true;
        if (grace != null && grace < 0) grace = 1L;
        return new DeleteOptions(grace, policy, uid, rv, dryRun);
    }
}
