package dev.roster.api.table;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** Deployments and ReplicaSets: desired against actual replicas, and what their pods run. */
final class WorkloadPrinters {

    private WorkloadPrinters() {}

    // Upstream declares Up-to-date and Available as strings yet sends numbers; we mirror both.
    static final ResourcePrinter DEPLOYMENTS = ResourcePrinter.of(
            List.of(
                    Column.NAME,
                    Column.text("Ready", "Ready pods out of desired pods."),
                    Column.text("Up-to-date", "Pods running the latest pod template."),
                    Column.text("Available", "Pods ready for at least minReadySeconds."),
                    Column.AGE,
                    Column.CONTAINERS,
                    Column.IMAGES,
                    Column.wide("Selector", "Label query that picks the deployment's pods.")),
            (d, now, out) -> {
                out.add(Fields.name(d));
                out.add(Fields.num(d, "status", "readyReplicas") + "/" + Fields.replicas(d, "spec", "replicas"));
                out.add(Fields.num(d, "status", "updatedReplicas"));
                out.add(Fields.num(d, "status", "availableReplicas"));
                out.add(Fields.age(d, now));
                addContainers(d, out);
                String selector = Selectors.selector(Fields.at(d, "spec", "selector"));
                out.add(selector == null ? "<invalid>" : selector);
            });

    static final ResourcePrinter REPLICA_SETS = ResourcePrinter.of(
            List.of(
                    Column.NAME,
                    Column.integer("Desired", "Pods the replica set should run."),
                    Column.integer("Current", "Pods the replica set runs now."),
                    Column.integer("Ready", "Pods that pass their readiness checks."),
                    Column.AGE,
                    Column.CONTAINERS,
                    Column.IMAGES,
                    Column.wide("Selector", "Label query that picks the replica set's pods.")),
            (rs, now, out) -> {
                out.add(Fields.name(rs));
                out.add(Fields.replicas(rs, "spec", "replicas"));
                out.add(Fields.num(rs, "status", "replicas"));
                out.add(Fields.num(rs, "status", "readyReplicas"));
                out.add(Fields.age(rs, now));
                addContainers(rs, out);
                out.add(Selectors.formatSelector(Fields.at(rs, "spec", "selector")));
            });

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
