package dev.roster.api.admission;

/**
 * One validation failure, shaped like upstream's field.Error so the API server can produce the
 * exact Status message and {@code details.causes} kubectl prints.
 *
 * @param type what went wrong; its {@link Type#reason} is the cause's reason
 * @param field the path, e.g. {@code spec.ports[0].port}
 * @param badValue the offending value as upstream renders it (already quoted for strings), or
 *     null for error types that print no value
 * @param detail the explanation, may be empty
 */
public record FieldError(Type type, String field, String badValue, String detail) {

    public enum Type {
        NOT_FOUND("FieldValueNotFound", "Not found"),
        REQUIRED("FieldValueRequired", "Required value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        /** A value of the wrong JSON type (custom resources' schemas); printed like Invalid. */
        TYPE_INVALID("FieldValueTypeInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many");

        public final String reason;
        public final String label;

        Type(String reason, String label) {
            this.reason = reason;
            this.label = label;
        }
    }

    /** The cause message, e.g. {@code Invalid value: 0: must be between 1 and 65535}. */
    public String causeMessage() {
        StringBuilder b = new StringBuilder(type.label);
        // Upstream never prints the value of Required, Forbidden and TooLong errors.
        if (badValue != null && (type == Type.INVALID || type == Type.TYPE_INVALID || type == Type.NOT_SUPPORTED || type == Type.DUPLICATE
                || type == Type.NOT_FOUND || type == Type.TOO_MANY)) {
            b.append(": ").append(badValue);
        }
        if (detail != null && !detail.isEmpty()) b.append(": ").append(detail);
        return b.toString();
    }

    /** The full line, e.g. {@code spec.ports[0].port: Invalid value: 0: must be between 1 and 65535}. */
    public String message() {
        return field + ": " + causeMessage();
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, null, detail);
    }

    public static FieldError invalid(String field, String badValue, String detail) {
        return new FieldError(Type.INVALID, field, badValue, detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, null, detail);
    }

    public static FieldError duplicate(String field, String badValue) {
        return new FieldError(Type.DUPLICATE, field, badValue, "");
    }

    public static FieldError notFound(String field, String badValue) {
        return new FieldError(Type.NOT_FOUND, field, badValue, "");
    }

    /** Upstream lists the supported values quoted, in the order given. */
    public static FieldError notSupported(String field, String badValue, java.util.List<String> supported) {
        StringBuilder d = new StringBuilder();
        for (String v : supported) {
            d.append(d.isEmpty() ? "supported values: " : ", ").append(GoFormat.quote(v));
        }
        return new FieldError(Type.NOT_SUPPORTED, field, badValue, d.toString());
    }

    public static FieldError tooLong(String field, int maxBytes) {
        return new FieldError(Type.TOO_LONG, field, null, "must have at most " + maxBytes + " bytes");
    }

    public static FieldError tooMany(String field, int actual, int max) {
        return new FieldError(Type.TOO_MANY, field, String.valueOf(actual), "must have at most " + max + " items");
    }
}
