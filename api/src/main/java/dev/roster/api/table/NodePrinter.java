package dev.roster.api.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** Nodes: readiness, cordon state and roles, plus the machine facts shown with -o wide. */
final class NodePrinter {

    static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
    static final String LEGACY_ROLE_LABEL = "kubernetes.io/role";

    private NodePrinter() {}

    static final ResourcePrinter NODES = ResourcePrinter.of(
            List.of(
                    Column.NAME,
                    Column.text("Status", "Readiness of the node, and whether it is cordoned."),
                    Column.text("Roles", "Roles taken from the node's role labels."),
                    Column.AGE,
                    Column.text("Version", "Version the node agent reports."),
                    Column.wide("Internal-IP", "First internal address of the node."),
                    Column.wide("External-IP", "First external address of the node."),
                    Column.wide("OS-Image", "Operating system the node reports."),
                    Column.wide("Kernel-Version", "Kernel version the node reports."),
                    Column.wide("Container-Runtime", "Container runtime and its version.")),
            (node, now, out) -> {
                out.add(Fields.name(node));
                out.add(status(node));
                out.add(roles(node));
                out.add(Fields.age(node, now));
                out.add(Fields.str(node, "status", "nodeInfo", "kubeletVersion"));
                out.add(address(node, "InternalIP"));
                out.add(address(node, "ExternalIP"));
                out.add(info(node, "osImage"));
                out.add(info(node, "kernelVersion"));
                out.add(info(node, "containerRuntimeVersion"));
            });

    /** "Ready", "NotReady" or "Unknown" (no Ready condition yet), then ",SchedulingDisabled" if cordoned. */
    static String status(JsonNode node) {
        List<String> parts = new ArrayList<>();
        for (JsonNode c : Fields.list(node, "status", "conditions")) {
            // Later duplicates win, as when conditions are collected into a map by type.
            if (Fields.str(c, "type").equals("Ready")) {
                parts.clear();
                parts.add(Fields.str(c, "status").equals("True") ? "Ready" : "NotReady");
            }
        }
        if (parts.isEmpty()) parts.add("Unknown");
        if (Fields.isTrue(node, "spec", "unschedulable")) parts.add("SchedulingDisabled");
        return String.join(",", parts);
    }

    /** Roles from node-role.kubernetes.io/ROLE keys and kubernetes.io/role values, sorted and distinct. */
    static String roles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        JsonNode labels = Fields.at(node, "metadata", "labels");
        if (labels != null && labels.isObject()) {
            for (Map.Entry<String, JsonNode> e : labels.properties()) {
                String key = e.getKey();
                String value = e.getValue().asString("");
                if (key.startsWith(ROLE_LABEL_PREFIX) && key.length() > ROLE_LABEL_PREFIX.length()) {
                    roles.add(key.substring(ROLE_LABEL_PREFIX.length()));
                } else if (key.equals(LEGACY_ROLE_LABEL) && !value.isEmpty()) {
                    roles.add(value);
                }
            }
        }
        return roles.isEmpty() ? Selectors.NONE : String.join(",", roles);
    }

    private static String address(JsonNode node, String type) {
        for (JsonNode a : Fields.list(node, "status", "addresses")) {
            if (Fields.str(a, "type").equals(type)) return Fields.str(a, "address");
        }
        return Selectors.NONE;
    }

    private static String info(JsonNode node, String field) {
        return Fields.orElse(Fields.str(node, "status", "nodeInfo", field), HumanDuration.UNKNOWN);
    }
}
