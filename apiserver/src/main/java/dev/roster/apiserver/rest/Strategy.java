package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Per-resource rules upstream keeps in each type's "strategy": what a create resets, which part
 * of an object the main resource may change and which the status subresource may, and whether
 * spec changes bump metadata.generation.
 */
final class Strategy {
    /** Resources whose metadata.generation counts spec changes. */
    private static final Set<String> GENERATION = Set.of("deployments", "replicasets");
    /** Top-level fields that belong to the object's identity, never to spec or status. */
    private static final Set<String> ENVELOPE = Set.of("apiVersion", "kind", "metadata", "status");

    private Strategy() {}

    static boolean tracksGeneration(ResourceType t) {
        return GENERATION.contains(t.resource()) && t.group().equals("apps");
    }

    /** Whether the main resource's writes ignore status (it has its own subresource). */
    static boolean statusIsSubresource(ResourceType t) {
        return t.hasSubresource("status");
    }

    /** What a create sets or clears before defaulting, as upstream's PrepareForCreate. */
    static void prepareForCreate(ResourceType t, ObjectNode obj) {
        switch (t.resource()) {
            case "pods" -> {
                ObjectNode status = obj.putObject("status");
                status.put("phase", "Pending");
                status.put("qosClass", PodQos.classify(obj.path("spec")));
            }
            case "services" -> obj.putObject("status").putObject("loadBalancer");
            case "deployments", "replicasets" -> obj.putObject("status");
            case "namespaces" -> obj.putObject("status").put("phase", "Active");
            default -> { }
        }
        if (tracksGeneration(t)) Metadata.of(obj).put("generation", 1);
    }

    /**
     * What a create adds after admission, as upstream's REST create does after the field manager
     * has seen the object: the namespace controller's finalizer, which nobody "manages".
     */
    static void afterAdmission(ResourceType t, ObjectNode obj) {
        if (t.resource().equals("namespaces") && t.group().isEmpty()) {
            // every namespace is finalized by the namespace controller before it goes
            ArrayNode finalizers = obj.withObject("spec").withArray("finalizers");
            boolean present = false;
            for (JsonNode f : finalizers) present |= f.asString().equals("kubernetes");
            if (!present) finalizers.add("kubernetes");
        }
    }

    /**
     * Carries over from the stored object what a main-resource update may not change: its status
     * when status is a subresource.
     */
    static void prepareForUpdate(ResourceType t, ObjectNode updated, JsonNode old) {
        if (statusIsSubresource(t)) {
            JsonNode s = old.get("status");
            if (s == null) updated.remove("status");
            else updated.set("status", s.deepCopy());
        }
        if (t.resource().equals("namespaces") && t.group().isEmpty()) {
            // spec.finalizers change only through the finalize subresource
            JsonNode f = old.path("spec").path("finalizers");
            if (f.isArray()) updated.withObject("spec").set("finalizers", f.deepCopy());
            else if (updated.get("spec") instanceof ObjectNode spec) spec.remove("finalizers");
        }
        if (tracksGeneration(t)) {
            long gen = old.path("metadata").path("generation").asLong(1);
            if (!specEquals(updated, old)) gen++;
            Metadata.of(updated).put("generation", gen);
        }
    }

    /**
     * A status update takes only status from the request (and labels/annotations, as upstream
     * allows); spec and everything else come from the stored object.
     */
    static ObjectNode mergeStatusUpdate(ObjectNode request, JsonNode old) {
        ObjectNode out = ((ObjectNode) old).deepCopy();
        JsonNode s = request.get("status");
        if (s == null) out.remove("status");
        else out.set("status", s.deepCopy());
        ObjectNode meta = Metadata.of(out);
        JsonNode reqMeta = request.path("metadata");
        // managedFields: a server-side apply to status brings its own; other writes recompute them
        for (String f : new String[] {"labels", "annotations", "resourceVersion", "managedFields"}) {
            if (reqMeta.has(f)) meta.set(f, reqMeta.get(f).deepCopy());
            else if (!f.equals("resourceVersion") && !f.equals("managedFields")) meta.remove(f);
        }
        return out;
    }

    private static boolean specEquals(JsonNode a, JsonNode b) {
        ObjectNode x = Json.object();
        ObjectNode y = Json.object();
        for (var e : a.properties()) if (!ENVELOPE.contains(e.getKey())) x.set(e.getKey(), e.getValue());
        for (var e : b.properties()) if (!ENVELOPE.contains(e.getKey())) y.set(e.getKey(), e.getValue());
        return x.equals(y);
    }
}
