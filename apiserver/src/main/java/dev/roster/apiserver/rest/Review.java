package dev.roster.apiserver.rest;

import dev.roster.apiserver.http.RestRequest;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers a POST to a create-only review resource (TokenReview, SelfSubjectReview, SubjectAccessReview, …): reads
 * the decoded body, returns the object with its status filled in. Nothing is stored.
 */
@FunctionalInterface
public interface Review {
    /**
     * @param target the review resource and, for namespaced reviews, the URL's namespace
     * @throws dev.roster.apiserver.ApiException for a body that cannot be reviewed (400/422)
     */
    ObjectNode review(RequestTarget target, ObjectNode body, RestRequest request);
}
