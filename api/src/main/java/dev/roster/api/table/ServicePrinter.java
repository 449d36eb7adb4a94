package dev.roster.api.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** Services: type, addresses and ports, the "front desk" line of the service-discovery walk. */
final class ServicePrinter {

    static final ResourcePrinter SERVICES = ResourcePrinter.of(
            List.of(
                    Column.NAME,
                    Column.text("Type", "How the service is exposed."),
                    Column.text("Cluster-IP", "Virtual IP inside the cluster."),
                    Column.text("External-IP", "Addresses reachable from outside the cluster."),
                    Column.text("Port(s)", "Service ports, with node ports where allocated."),
                    Column.AGE,
                    Column.wide("Selector", "Labels of the pods that back the service.")),
            ServicePrinter::cells);

    private ServicePrinter() {}

    private static void cells(JsonNode svc, Instant now, ArrayNode out) {
        JsonNode spec = Fields.at(svc, "spec");
        List<JsonNode> clusterIps = Fields.list(spec, "clusterIPs");
        // clusterIPs is authoritative upstream; clusterIP covers objects stored before it was set.
        String clusterIp = clusterIps.isEmpty() ? Fields.str(spec, "clusterIP") : clusterIps.get(0).asString("");
        out.add(Fields.name(svc));
        out.add(Fields.str(spec, "type"));
        out.add(Fields.orElse(clusterIp, Selectors.NONE));
        out.add(externalIp(svc));
        out.add(Fields.orElse(ports(spec), Selectors.NONE));
        out.add(Fields.age(svc, now));
        out.add(Selectors.labels(Fields.at(spec, "selector")));
    }

    /**
     * External addresses by type: spec.externalIPs for ClusterIP and NodePort, load-balancer
     * ingress (sorted, distinct) plus externalIPs for LoadBalancer — {@code <pending>} until the
     * cloud assigns one — and the DNS name for ExternalName. The server prints the wide form,
     * so ingress lists are never clipped here.
     */
    static String externalIp(JsonNode svc) {
        List<String> externalIps = strings(Fields.list(svc, "spec", "externalIPs"));
        switch (Fields.str(svc, "spec", "type")) {
            case "ClusterIP", "NodePort" -> {
                return externalIps.isEmpty() ? Selectors.NONE : String.join(",", externalIps);
            }
            case "LoadBalancer" -> {
                TreeSet<String> ingress = new TreeSet<>();
                for (JsonNode i : Fields.list(svc, "status", "loadBalancer", "ingress")) {
                    String ip = Fields.str(i, "ip");
                    String host = Fields.str(i, "hostname");
                    if (!ip.isEmpty()) ingress.add(ip);
                    else if (!host.isEmpty()) ingress.add(host);
                }
                List<String> all = new ArrayList<>(ingress);
                all.addAll(externalIps);
                return all.isEmpty() ? "<pending>" : String.join(",", all);
            }
            case "ExternalName" -> {
                return Fields.str(svc, "spec", "externalName");
            }
            default -> {
                return HumanDuration.UNKNOWN;
            }
        }
    }

    /** "80/TCP", or "80:30080/TCP" once a node port is allocated, joined by commas. */
    static String ports(JsonNode spec) {
        List<String> pieces = new ArrayList<>();
        for (JsonNode p : Fields.list(spec, "ports")) {
            // Defaulting always sets the protocol; TCP keeps hand-made test objects readable.
            String proto = Fields.orElse(Fields.str(p, "protocol"), "TCP");
            long nodePort = Fields.num(p, "nodePort");
            long port = Fields.num(p, "port");
            pieces.add(nodePort > 0 ? port + ":" + nodePort + "/" + proto : port + "/" + proto);
        }
        return String.join(",", pieces);
    }

    private static List<String> strings(List<JsonNode> nodes) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : nodes) out.add(n.asString(""));
        return out;
    }
}
