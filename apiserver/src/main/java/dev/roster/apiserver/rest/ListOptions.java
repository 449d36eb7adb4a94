package dev.roster.apiserver.rest;

import dev.roster.api.admission.FieldError;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.http.RestRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The query of a list or watch, read and checked as upstream reads {@code ListOptions}: booleans by
 * its query conversion, integers as Go's ParseInt (a 400 with Go's message otherwise), and the
 * combinations upstream forbids refused with its 422 {@code ListOptions.meta.k8s.io "" is invalid}.
 *
 * @param sendInitialEvents null when the client did not say
 * @param limit 0 for no limit (upstream treats a negative limit the same way)
 * @param timeoutSeconds null when absent
 */
public record ListOptions(
        String labelSelector, String fieldSelector, boolean watch, boolean allowWatchBookmarks,
        String resourceVersion, String resourceVersionMatch, String continueToken, long limit,
        Long timeoutSeconds, Boolean sendInitialEvents) {
    static final String EXACT = "Exact";
    static final String NOT_OLDER_THAN = "NotOlderThan";

    public static ListOptions of(RestRequest req) {
        Long limit = req.int64("limit");
        ListOptions o = new ListOptions(req.param("labelSelector"), req.param("fieldSelector"), req.flag("watch"),
                req.flag("allowWatchBookmarks"), orEmpty(req.param("resourceVersion")),
                orEmpty(req.param("resourceVersionMatch")), orEmpty(req.param("continue")),
                limit == null ? 0 : Math.max(0, limit), req.int64("timeoutSeconds"), req.optionalFlag("sendInitialEvents"));
        List<FieldError> errors = o.watch ? o.watchErrors() : o.listErrors();
        if (!errors.isEmpty()) throw ApiException.invalidOptions("ListOptions", errors);
        return o;
    }

    private List<FieldError> listErrors() {
        List<FieldError> errs = new ArrayList<>();
        String match = resourceVersionMatch;
        if (!match.isEmpty()) {
            if (resourceVersion.isEmpty()) {
                errs.add(FieldError.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }
            if (!continueToken.isEmpty()) {
                errs.add(FieldError.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
            }
            if (!match.equals(EXACT) && !match.equals(NOT_OLDER_THAN)) {
                errs.add(notSupportedMatch(List.of(EXACT, NOT_OLDER_THAN, "")));
            }
            if (match.equals(EXACT) && resourceVersion.equals("0")) {
                errs.add(FieldError.forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }
        if (sendInitialEvents != null) {
            errs.add(FieldError.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }
        return errs;
    }

    private List<FieldError> watchErrors() {
        List<FieldError> errs = new ArrayList<>();
        String match = resourceVersionMatch;
        if (sendInitialEvents != null && !match.equals(NOT_OLDER_THAN)) {
            errs.add(FieldError.forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        }
        if (!match.isEmpty()) {
            if (sendInitialEvents == null) {
                errs.add(FieldError.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }
            if (!match.equals(NOT_OLDER_THAN)) errs.add(notSupportedMatch(List.of(NOT_OLDER_THAN)));
            if (!continueToken.isEmpty()) {
                errs.add(FieldError.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
            }
        }
        return errs;
    }

    private FieldError notSupportedMatch(List<String> supported) {
        return FieldError.notSupported("resourceVersionMatch", dev.roster.api.admission.GoFormat.quote(resourceVersionMatch), supported);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
