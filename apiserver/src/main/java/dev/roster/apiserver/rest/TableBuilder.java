package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import dev.roster.api.table.TablePrinters;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the meta.k8s.io/v1 Table kubectl asks for: column definitions and cells come from the
 * printers of the api module; each row carries the object's metadata so kubectl can show
 * namespaces, labels and kind prefixes.
 */
public final class TableBuilder {
    private final TablePrinters printers;

    public TableBuilder(TablePrinters printers) {
        this.printers = printers;
    }

    /**
     * @param includeObject "None", "Metadata" (default) or "Object", as the query parameter says
     * @param withColumns false for watch events after the first, as upstream omits them there
     */
    public ObjectNode table(ResourceType type, List<ObjectNode> objects, String resourceVersion, String continueToken,
            String includeObject, boolean withColumns, Instant now) {
        ObjectNode t = Json.object();
        t.put("kind", "Table");
        t.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = t.putObject("metadata");
        if (resourceVersion != null) meta.put("resourceVersion", resourceVersion);
        if (continueToken != null && !continueToken.isEmpty()) meta.put("continue", continueToken);
        t.set("columnDefinitions", withColumns ? printers.columnDefinitions(type) : Json.array());
        ArrayNode rows = t.putArray("rows");
        for (ObjectNode o : objects) {
            ObjectNode row = rows.addObject();
            row.set("cells", printers.cells(type, o, now));
            ArrayNode conditions = printers.rowConditions(type, o);
            if (conditions != null) row.set("conditions", conditions);
            String mode = includeObject == null ? "Metadata" : includeObject;
            if (mode.equals("Object")) {
                row.set("object", o);
            } else if (!mode.equals("None")) {
                ObjectNode partial = row.putObject("object");
                partial.put("kind", "PartialObjectMetadata");
                partial.put("apiVersion", "meta.k8s.io/v1");
                JsonNode m = o.get("metadata");
                partial.set("metadata", m == null ? Json.object() : m);
            }
        }
        return t;
    }
}
