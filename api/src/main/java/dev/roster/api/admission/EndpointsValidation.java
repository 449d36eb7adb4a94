package dev.roster.api.admission;

import static dev.roster.api.admission.GoFormat.quote;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Endpoints and EndpointSlice checks, with roster's loopback exemption. */
final class EndpointsValidation {
    private EndpointsValidation() {}

    static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
    static final int MAX_ENDPOINTS = 1000;
    static final int MAX_PORTS = 100;
    static final int MAX_ADDRESSES = 100;
    static final int MAX_TOPOLOGY_LABELS = 16;

    static void validateEndpoints(JsonNode ep, boolean loopback, List<FieldError> errs) {
        List<JsonNode> subsets = Fields.list(ep, "subsets");
        for (int i = 0; i < subsets.size(); i++) {
            JsonNode ss = subsets.get(i);
            String p = "subsets[" + i + "]";
            List<JsonNode> ready = Fields.list(ss, "addresses");
            List<JsonNode> notReady = Fields.list(ss, "notReadyAddresses");
            if (ready.isEmpty() && notReady.isEmpty()) {
                errs.add(FieldError.required(p, "must specify `addresses` or `notReadyAddresses`"));
            }
            for (int a = 0; a < ready.size(); a++) validateAddress(ready.get(a), p + ".addresses[" + a + "]", loopback, errs);
            for (int a = 0; a < notReady.size(); a++) {
                validateAddress(notReady.get(a), p + ".notReadyAddresses[" + a + "]", loopback, errs);
            }
            List<JsonNode> ports = Fields.list(ss, "ports");
            for (int j = 0; j < ports.size(); j++) {
                JsonNode port = ports.get(j);
                String pp = p + ".ports[" + j + "]";
                String name = Fields.str(port, "name");
                if (ports.size() > 1 && name.isEmpty()) {
                    errs.add(FieldError.required(pp + ".name", ""));
                } else if (!name.isEmpty()) {
                    Validators.dns1123Label(name, pp + ".name", errs);
                }
                long n = Fields.num(port, "port");
                for (String m : Formats.portNum(n)) errs.add(FieldError.invalid(pp + ".port", String.valueOf(n), m));
                Validators.protocol(port, pp, errs);
                Validators.appProtocol(port, pp, errs);
            }
        }
    }

    private static void validateAddress(JsonNode addr, String path, boolean loopback, List<FieldError> errs) {
        String ip = Fields.str(addr, "ip");
        Validators.ip(ip, path + ".ip", errs);
        String hostname = Fields.str(addr, "hostname");
        if (!hostname.isEmpty()) Validators.dns1123Label(hostname, path + ".hostname", errs);
        if (Fields.has(addr, "nodeName")) Validators.dns1123Subdomain(Fields.str(addr, "nodeName"), path + ".nodeName", errs);
        Validators.nonSpecialIp(ip, path + ".ip", loopback, errs);
    }

    static void validateSlice(JsonNode slice, JsonNode old, boolean loopback, List<FieldError> errs) {
        String type = Fields.str(slice, "addressType");
        // The deprecated "IP" type survives only on objects that already have it.
        List<String> valid = old != null ? List.of("FQDN", "IP", "IPv4", "IPv6") : ADDRESS_TYPES;
        Validators.oneOf(type, valid, "addressType", errs);
        validateSliceEndpoints(Fields.list(slice, "endpoints"), type, loopback, errs);
        validateSlicePorts(Fields.list(slice, "ports"), errs);
        if (old != null) {
            String before = Fields.str(old, "addressType");
            if (!before.equals(type)) errs.add(FieldError.invalid("addressType", quote(type), MetaValidation.IMMUTABLE));
        }
    }

    private static void validateSliceEndpoints(List<JsonNode> endpoints, String type, boolean loopback, List<FieldError> errs) {
        if (endpoints.size() > MAX_ENDPOINTS) {
            errs.add(FieldError.tooMany("endpoints", endpoints.size(), MAX_ENDPOINTS));
            return;
        }
        for (int i = 0; i < endpoints.size(); i++) {
            JsonNode ep = endpoints.get(i);
            String path = "endpoints[" + i + "]";
            List<String> addresses = Fields.strings(ep, "addresses");
            List<String> a = addresses == null ? List.of() : addresses;
            if (a.isEmpty()) {
                errs.add(FieldError.required(path + ".addresses", "must contain at least 1 address"));
            } else if (a.size() > MAX_ADDRESSES) {
                errs.add(FieldError.tooMany(path + ".addresses", a.size(), MAX_ADDRESSES));
            }
            for (int j = 0; j < a.size(); j++) validateSliceAddress(a.get(j), type, path + ".addresses[" + j + "]", loopback, errs);
            var topology = Fields.stringMap(ep, "deprecatedTopology");
            if (topology != null && topology.size() > MAX_TOPOLOGY_LABELS) {
                errs.add(FieldError.tooMany(path + ".deprecatedTopology", topology.size(), MAX_TOPOLOGY_LABELS));
            }
            MetaValidation.validateLabels(topology, path + ".deprecatedTopology", errs);
            if (Fields.has(ep, "hostname")) Validators.dns1123Label(Fields.str(ep, "hostname"), path + ".hostname", errs);
        }
    }

    private static void validateSliceAddress(String address, String type, String path, boolean loopback, List<FieldError> errs) {
        switch (type) {
            case "IP" -> Validators.ip(address, path, errs);
            case "IPv4", "IPv6" -> {
                byte[] ip = IpAddresses.parse(address);
                boolean v4 = IpAddresses.isIPv4(ip);
                if (ip == null || (type.equals("IPv4") != v4)) {
                    errs.add(FieldError.invalid(path, quote(address), "must be a valid " + type + " address"));
                }
                Validators.nonSpecialIp(address, path, loopback, errs);
            }
            case "FQDN" -> validateFqdn(address, path, errs);
            default -> { }
        }
    }

    private static void validateFqdn(String name, String path, List<FieldError> errs) {
        if (name.isEmpty()) {
            errs.add(FieldError.required(path, ""));
            return;
        }
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        List<String> msgs = Formats.dns1123Subdomain(name);
        if (!msgs.isEmpty()) {
            errs.add(FieldError.invalid(path, quote(name), String.join(",", msgs)));
            return;
        }
        if (name.split("\\.").length < 2) {
            errs.add(FieldError.invalid(path, quote(name), "should be a domain with at least two segments separated by dots"));
            return;
        }
        for (String label : name.split("\\.")) {
            List<String> l = Formats.dns1123Label(label);
            if (!l.isEmpty()) {
                errs.add(FieldError.invalid(path, quote(label), String.join(",", l)));
                return;
            }
        }
    }

    private static void validateSlicePorts(List<JsonNode> ports, List<FieldError> errs) {
        if (ports.size() > MAX_PORTS) {
            errs.add(FieldError.tooMany("ports", ports.size(), MAX_PORTS));
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String path = "ports[" + i + "]";
            String name = Fields.str(port, "name");
            if (!name.isEmpty()) Validators.dns1123Label(name, path + ".name", errs);
            if (!names.add(name)) errs.add(FieldError.duplicate(path + ".name", quote(name)));
            if (!Fields.has(port, "protocol")) {
                errs.add(FieldError.required(path + ".protocol", ""));
            } else if (!Validators.PROTOCOLS.contains(Fields.str(port, "protocol"))) {
                errs.add(FieldError.notSupported(path + ".protocol", quote(Fields.str(port, "protocol")), Validators.PROTOCOLS));
            }
            Validators.appProtocol(port, path, errs);
        }
    }
}
