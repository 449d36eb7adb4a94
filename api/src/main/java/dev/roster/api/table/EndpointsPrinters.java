package dev.roster.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** Endpoints and EndpointSlices: the roster of addresses behind a service. */
final class EndpointsPrinters {

    private EndpointsPrinters() {}

    static final ResourcePrinter ENDPOINTS = ResourcePrinter.named(
            List.of(Column.text("Endpoints", "Ready addresses with their ports.")),
            (ep, now, out) -> out.add(endpoints(ep)));

    static final ResourcePrinter ENDPOINT_SLICES = ResourcePrinter.named(
            List.of(
                    Column.text("AddressType", "Family of the addresses in the slice."),
                    Column.text("Ports", "Port numbers served by the endpoints."),
                    Column.text("Endpoints", "Addresses of the endpoints, ready or not.")),
            EndpointsPrinters::sliceCells);

    /**
     * "ip:port" for every ready address of every port, subset by subset ("ip" alone for a subset
     * without ports, as headless services have). Not-ready addresses are left out, which is why a
     * service whose pods all fail readiness shows an empty cell rather than {@code <none>}.
     */
    static String endpoints(JsonNode ep) {
        List<JsonNode> subsets = Fields.list(ep, "subsets");
        if (subsets.isEmpty()) return Selectors.NONE;
        MoreList list = new MoreList();
        for (JsonNode subset : subsets) {
            List<JsonNode> addresses = Fields.list(subset, "addresses");
            List<JsonNode> ports = Fields.list(subset, "ports");
            if (ports.isEmpty()) {
                addresses.forEach(a -> list.add(Fields.str(a, "ip")));
                continue;
            }
            for (JsonNode port : ports) {
                for (JsonNode a : addresses) list.add(hostPort(Fields.str(a, "ip"), Fields.num(port, "port")));
            }
        }
        return list.text("");
    }

    private static void sliceCells(JsonNode slice, Instant now, ArrayNode out) {
        MoreList ports = new MoreList();
        for (JsonNode p : Fields.list(slice, "ports")) {
            JsonNode port = Fields.at(p, "port");
            String name = Fields.str(p, "name");
            if (port != null && port.isNumber()) ports.add(Long.toString(port.longValue()));
            else ports.add(Fields.at(p, "name") != null ? name : "*");
        }
        MoreList addresses = new MoreList();
        for (JsonNode e : Fields.list(slice, "endpoints")) {
            Fields.list(e, "addresses").forEach(a -> addresses.add(a.asString("")));
        }
        out.add(Fields.str(slice, "addressType"));
        out.add(ports.text("<unset>"));
        out.add(addresses.text("<unset>"));
    }

    /** host:port with IPv6 hosts bracketed, so "[2001:db8::1]:80" stays unambiguous. */
    static String hostPort(String ip, long port) {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}
