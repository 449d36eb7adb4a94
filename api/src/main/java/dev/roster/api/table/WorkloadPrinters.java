package dev.roster.api.table;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** Deployments and ReplicaSets: desired against actual replicas, and what their pods run. */
final class WorkloadPrinters {

    private WorkloadPrinters() {}

    // Upstream declares Up-to-date and Available as strings yet sends numbers; we mirror both.
    static final ResourcePrinter DEPLOYMENTS = workload(
            List.of(
                    Column.text("Ready", "Ready pods out of desired pods."),
                    Column.text("Up-to-date", "Pods running the latest pod template."),
                    Column.text("Available", "Pods ready for at least minReadySeconds.")),
            (d, now, out) -> {
                out.add(Fields.num(d, "status", "readyReplicas") + "/" + Fields.replicas(d, "spec", "replicas"));
                out.add(Fields.num(d, "status", "updatedReplicas"));
                out.add(Fields.num(d, "status", "availableReplicas"));
            },
            "Label query that picks the deployment's pods.",
            d -> {
                String selector = Selectors.selector(Fields.at(d, "spec", "selector"));
                return selector == null ? "<invalid>" : selector;
            });

    static final ResourcePrinter REPLICA_SETS = workload(
            List.of(
                    Column.integer("Desired", "Pods the replica set should run."),
                    Column.integer("Current", "Pods the replica set runs now."),
                    Column.integer("Ready", "Pods that pass their readiness checks.")),
            (rs, now, out) -> {
                out.add(Fields.replicas(rs, "spec", "replicas"));
                out.add(Fields.num(rs, "status", "replicas"));
                out.add(Fields.num(rs, "status", "readyReplicas"));
            },
            "Label query that picks the replica set's pods.",
            rs -> Selectors.formatSelector(Fields.at(rs, "spec", "selector")));

    /**
     * A workload's table: Name, its replica counts, Age, then for -o wide its template's
     * containers and images and its selector.
     */
    private static ResourcePrinter workload(List<Column> countColumns, ResourcePrinter.CellWriter counts,
            String selectorDescription, Function<JsonNode, String> selector) {
        List<Column> columns = new ArrayList<>();
        columns.add(Column.NAME);
        columns.addAll(countColumns);
        columns.addAll(List.of(Column.AGE, Column.CONTAINERS, Column.IMAGES, Column.wide("Selector", selectorDescription)));
        return ResourcePrinter.of(List.copyOf(columns), (w, now, out) -> {
            out.add(Fields.name(w));
            counts.write(w, now, out);
            out.add(Fields.age(w, now));
            addContainers(w, out);
            out.add(selector.apply(w));
        });
    }

    /** The Containers and Images cells: names and images of the template, comma-joined in order. */
    static void addContainers(JsonNode workload, ArrayNode out) {
        List<String> names = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode c : Fields.list(workload, "spec", "template", "spec", "containers")) {
            names.add(Fields.str(c, "name"));
            images.add(Fields.str(c, "image"));
        }
        out.add(String.join(",", names));
        out.add(String.join(",", images));
    }
}
