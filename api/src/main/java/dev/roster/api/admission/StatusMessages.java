package dev.roster.api.admission;

import dev.roster.api.ResourceType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The message of upstream's 422 Invalid status, which kubectl prints after "The ... is invalid". */
public final class StatusMessages {
    private StatusMessages() {}

    /**
     * {@code Kind "name" is invalid: msg} for one distinct error, {@code [a, b]} for several;
     * identical messages are printed once. {@code kind} is the qualified kind, e.g. "Deployment.apps".
     */
    public static String invalid(String kind, String name, List<FieldError> errors) {
        String head = kind + " " + GoFormat.quote(name) + " is invalid";
        Set<String> messages = new LinkedHashSet<>();
        for (FieldError e : errors) messages.add(e.message());
        if (messages.isEmpty()) return head;
        String joined = String.join(", ", messages);
        return head + ": " + (messages.size() == 1 ? joined : "[" + joined + "]");
    }

    /** Same, naming the kind as upstream's GroupKind does: "Service", "Deployment.apps". */
    public static String invalid(ResourceType type, String name, List<FieldError> errors) {
        return invalid(qualifiedKind(type), name, errors);
    }

    public static String qualifiedKind(ResourceType type) {
        return type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
    }
}
