package dev.roster.apiserver;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.StatusMessages;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request failure that becomes a Kubernetes {@code Status} response. The factory methods produce
 * upstream's reasons, codes and message texts, because kubectl prints the message word for word.
 */
public final class ApiException extends RuntimeException {
    private final int code;
    private final String reason;
    private final ObjectNode details;

    public ApiException(int code, String reason, String message, ObjectNode details) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.details = details;
    }

    public int code() { return code; }

    public String reason() { return reason; }

    /** The Status object kubectl and clients decode. */
    public ObjectNode toStatus() {
        ObjectNode s = Json.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", getMessage());
        if (reason != null && !reason.isEmpty()) s.put("reason", reason);
        if (details != null) s.set("details", details);
        s.put("code", code);
        return s;
    }

    private static ObjectNode details(ResourceType type, String name) {
        ObjectNode d = Json.object();
        if (name != null) d.put("name", name);
        if (!type.group().isEmpty()) d.put("group", type.group());
        d.put("kind", type.resource());
        return d;
    }

    public static ApiException notFound(ResourceType type, String name) {
        return new ApiException(404, "NotFound",
                type.qualifiedResource() + " \"" + name + "\" not found", details(type, name));
    }

    /** A namespace named in a request that does not exist. */
    public static ApiException namespaceNotFound(String namespace) {
        ObjectNode d = Json.object();
        d.put("name", namespace);
        d.put("kind", "namespaces");
        return new ApiException(404, "NotFound", "namespaces \"" + namespace + "\" not found", d);
    }

    public static ApiException pathNotFound() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", Json.object());
    }

    public static ApiException alreadyExists(ResourceType type, String name) {
        return new ApiException(409, "AlreadyExists",
                type.qualifiedResource() + " \"" + name + "\" already exists", details(type, name));
    }

    public static ApiException conflict(ResourceType type, String name) {
        return conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");
    }

    public static ApiException conflict(ResourceType type, String name, String why) {
        return new ApiException(409, "Conflict",
                "Operation cannot be fulfilled on " + type.qualifiedResource() + " \"" + name + "\": " + why,
                details(type, name));
    }

    public static ApiException invalid(ResourceType type, String name, List<FieldError> errors) {
        return invalid(type.group(), type.kind(), StatusMessages.qualifiedKind(type), name, errors);
    }

    /**
     * Request options upstream refuses ({@code ListOptions}, {@code CreateOptions}, {@code DeleteOptions} …):
     * a 422 naming the options kind in the meta.k8s.io group with an empty name, as upstream's handlers do.
     */
    public static ApiException invalidOptions(String kind, List<FieldError> errors) {
        return invalid("meta.k8s.io", kind, kind + ".meta.k8s.io", "", errors);
    }

    /** A 422 for a core-group kind that is not a resource, such as {@code PodLogOptions}. */
    public static ApiException invalidCore(String kind, String name, List<FieldError> errors) {
        return invalid("", kind, kind, name, errors);
    }

    private static ApiException invalid(String group, String kind, String qualifiedKind, String nameOrNull, List<FieldError> errors) {
        String name = nameOrNull == null ? "" : nameOrNull; // a body without a name is invalid as ""
        ObjectNode d = Json.object();
        if (!name.isEmpty()) d.put("name", name);
        if (!group.isEmpty()) d.put("group", group);
        d.put("kind", kind);
        ArrayNode causes = d.putArray("causes");
        for (FieldError e : errors) {
            ObjectNode c = causes.addObject();
            c.put("reason", e.type().reason);
            c.put("message", e.causeMessage());
            c.put("field", e.field());
        }
        return new ApiException(422, "Invalid", StatusMessages.invalid(qualifiedKind, name, errors), d);
    }

    /** What upstream answers a request without valid credentials: no details, just the reason. */
    public static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "Unauthorized", null);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null);
    }

    public static ApiException methodNotAllowed() {
        return new ApiException(405, "MethodNotAllowed",
                "the server does not allow this method on the requested resource", Json.object());
    }

    public static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json, application/yaml, application/vnd.kubernetes.protobuf",
                null);
    }

    /** A PATCH whose content type is none of the patch types served (upstream's list, in its order). */
    public static ApiException unsupportedPatchType(String contentType) {
        return new ApiException(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json-patch+json, application/merge-patch+json, "
                        + "application/strategic-merge-patch+json, application/apply-patch+yaml",
                null);
    }

    /** A request body over the limit, in upstream's words (its handlers' limitedReadBody). */
    public static ApiException requestEntityTooLarge(long limit) {
        return new ApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is " + limit, null);
    }

    /**
     * An object whose stored form is over etcd's request limit. Upstream passes etcd's own error
     * through as a 500 with no reason (kubernetes#112152 is open about it); roster keeps etcd's words
     * but answers 413, as bad input never earns a 5xx here (docs/apiserver.md, "Limits").
     */
    public static ApiException storedObjectTooLarge() {
        return new ApiException(413, "RequestEntityTooLarge", "etcdserver: request is too large", null);
    }

    public static ApiException gone(String message) {
        return new ApiException(410, "Expired", message, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "Forbidden", message, null);
    }

    public static ApiException internal(String message) {
        return new ApiException(500, "InternalError", message, null);
    }

    public static ApiException timeout(String message) {
        return new ApiException(504, "Timeout", message, null);
    }
}
