package dev.roster.apiserver.rest;

import static dev.roster.api.admission.GoFormat.quote;

import dev.roster.api.admission.FieldError;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.http.RestRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The query of pods/log, read as upstream reads {@code PodLogOptions}: booleans by its query conversion,
 * numbers as Go's ParseInt (400 with Go's message), {@code sinceTime} as RFC 3339, then checked as upstream
 * checks them (422 {@code PodLogOptions "<pod>" is invalid}). The node is asked with the values normalised.
 *
 * @param tailLines null when absent; likewise limitBytes, sinceSeconds and sinceTime
 */
record LogOptions(boolean follow, boolean previous, boolean timestamps, Long tailLines, Long limitBytes,
        Long sinceSeconds, String sinceTime) {

    static LogOptions of(RestRequest req, String podName) {
        String since = req.param("sinceTime");
        if (since != null) {
            try {
                OffsetDateTime.parse(since);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("parsing time " + quote(since)
                        + " as \"2006-01-02T15:04:05Z07:00\": cannot parse " + quote(since)
                        + " as \"2006\"");
            }
        }
        LogOptions o = new LogOptions(req.flag("follow"), req.flag("previous"), req.flag("timestamps"),
                req.int64("tailLines"), req.int64("limitBytes"), req.int64("sinceSeconds"), since);
        List<FieldError> errs = new ArrayList<>();
        if (o.tailLines != null && o.tailLines < 0) {
            errs.add(FieldError.invalid("tailLines", o.tailLines.toString(), "must be greater than or equal to 0"));
        }
        if (o.limitBytes != null && o.limitBytes < 1) {
            errs.add(FieldError.invalid("limitBytes", o.limitBytes.toString(), "must be greater than 0"));
        }
        if (o.sinceSeconds != null && o.sinceTime != null) {
            errs.add(FieldError.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        } else if (o.sinceSeconds != null && o.sinceSeconds < 1) {
            errs.add(FieldError.invalid("sinceSeconds", o.sinceSeconds.toString(), "must be greater than 0"));
        }
        if (!errs.isEmpty()) throw ApiException.invalidCore("PodLogOptions", podName, errs);
        return o;
    }

    /** The query for the node's log endpoint, starting with '?' (or empty). */
    String nodeQuery() {
        StringBuilder q = new StringBuilder();
        if (follow) q.append("&follow=true");
        if (previous) q.append("&previous=true");
        if (timestamps) q.append("&timestamps=true");
        if (tailLines != null) q.append("&tailLines=").append(tailLines);
        if (limitBytes != null) q.append("&limitBytes=").append(limitBytes);
        if (sinceSeconds != null) q.append("&sinceSeconds=").append(sinceSeconds);
        if (sinceTime != null) q.append("&sinceTime=").append(URLEncoder.encode(sinceTime, StandardCharsets.UTF_8));
        return q.isEmpty() ? "" : "?" + q.substring(1);
    }
}
