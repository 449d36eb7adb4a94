package dev.roster.api.table;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side printing: the column definitions and row cells of the {@code as=Table} answers
 * that {@code kubectl get} prints. The API server builds the Table envelope (kind, metadata, rows
 * with their PartialObjectMetadata); this class fills in columns and cells.
 *
 * <p>Cells always include the wide columns: kubectl hides priority-1 columns itself unless
 * {@code -o wide} was given, so one Table serves both outputs.
 */
public final class TablePrinters {

    private final Map<String, ResourcePrinter> byGroupResource;
    private final ResourcePrinter fallback;

    private TablePrinters(Map<String, ResourcePrinter> byGroupResource, ResourcePrinter fallback) {
        this.byGroupResource = Map.copyOf(byGroupResource);
        this.fallback = fallback;
    }

    /** Printers for every resource of {@code ResourceRegistry.builtin()}, and the default for the rest. */
    public static TablePrinters builtin() {
        Map<String, ResourcePrinter> m = new HashMap<>();
        m.put("/pods", PodPrinter.PODS);
        m.put("/services", ServicePrinter.SERVICES);
        m.put("/endpoints", EndpointsPrinters.ENDPOINTS);
        m.put("discovery.k8s.io/endpointslices", EndpointsPrinters.ENDPOINT_SLICES);
        m.put("apps/deployments", WorkloadPrinters.DEPLOYMENTS);
        m.put("apps/replicasets", WorkloadPrinters.REPLICA_SETS);
        m.put("/namespaces", SimplePrinters.NAMESPACES);
        m.put("/nodes", NodePrinter.NODES);
        m.put("/events", new EventPrinter(false));
        m.put("events.k8s.io/events", new EventPrinter(true));
        m.put("/configmaps", SimplePrinters.CONFIG_MAPS);
        m.put("/secrets", SimplePrinters.SECRETS);
        m.put("/serviceaccounts", SimplePrinters.NAME_AND_AGE);
        m.put("coordination.k8s.io/leases", SimplePrinters.LEASES);
        m.put("rbac.authorization.k8s.io/roles", SimplePrinters.DEFAULT);
        m.put("rbac.authorization.k8s.io/clusterroles", SimplePrinters.DEFAULT);
        m.put("rbac.authorization.k8s.io/rolebindings", RbacPrinters.BINDINGS);
        m.put("rbac.authorization.k8s.io/clusterrolebindings", RbacPrinters.BINDINGS);
        return new TablePrinters(m, SimplePrinters.DEFAULT);
    }

    /** True when the resource has columns of its own rather than the default Name / Created At. */
    public boolean hasPrinter(ResourceType type) {
        return byGroupResource.containsKey(key(type));
    }

    /** The columnDefinitions array: one {name, type, format, description, priority} per column. */
    public ArrayNode columnDefinitions(ResourceType type) {
        ArrayNode defs = Json.array();
        printer(type).columns().forEach(c -> defs.add(c.toJson()));
        return defs;
    }

    /** The cells of one row, in column order; {@code now} is the instant ages are measured to. */
    public ArrayNode cells(ResourceType type, JsonNode object, Instant now) {
        ArrayNode cells = Json.array();
        printer(type).cells(object, now, cells);
        return cells;
    }

    /**
     * Row conditions, or null when the row has none. Upstream marks pods that have finished
     * (Succeeded or Failed) as Completed; kubectl still prints them by default.
     */
    public ArrayNode rowConditions(ResourceType type, JsonNode object) {
        if (!key(type).equals("/pods")) return null;
        String phase = Fields.str(object, "status", "phase");
        String message = switch (phase) {
            case "Succeeded" -> "The pod has completed successfully.";
            case "Failed" -> "The pod failed.";
            default -> null;
        };
        if (message == null) return null;
        ObjectNode c = Json.object();
        c.put("type", "Completed");
        c.put("status", "True");
        c.put("reason", phase);
        c.put("message", message);
        return Json.array().add(c);
    }

    private ResourcePrinter printer(ResourceType type) {
        return byGroupResource.getOrDefault(key(type), fallback);
    }

    // Columns depend on group and resource, not version: every version of a resource prints alike.
    private static String key(ResourceType type) {
        return type.group() + "/" + type.resource();
    }
}
