package dev.roster.api.admission;

import static dev.roster.api.admission.GoFormat.quote;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Service spec checks; ClusterIP and NodePort allocation are the API server's job. */
final class ServiceValidation {
    private ServiceValidation() {}

    static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    static final List<String> AFFINITIES = List.of("ClientIP", "None");
    static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
    static final List<String> IP_FAMILIES = List.of("IPv4", "IPv6");
    static final List<String> IP_FAMILY_POLICIES = List.of("PreferDualStack", "RequireDualStack", "SingleStack");

    static void validate(JsonNode svc, JsonNode old, List<FieldError> errs) {
        JsonNode spec = Fields.get(svc, "spec");
        if (old != null) validateClusterIpUpdate(spec, Fields.get(old, "spec"), errs);
        String type = Fields.str(spec, "type");
        List<String> clusterIPs = Fields.strings(spec, "clusterIPs");
        boolean headless = clusterIPs != null && clusterIPs.size() == 1 && clusterIPs.get(0).equals("None");
        List<JsonNode> ports = Fields.list(spec, "ports");
        if (ports.isEmpty() && !headless && !type.equals("ExternalName")) errs.add(FieldError.required("spec.ports", ""));
        switch (type) {
            case "LoadBalancer", "NodePort" -> {
                if (headless) {
                    errs.add(FieldError.invalid("spec.clusterIPs[0]", quote("None"),
                            "may not be set to 'None' for " + type + " services"));
                }
            }
            case "ExternalName" -> validateExternalName(spec, clusterIPs, errs);
            default -> { }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) validatePort(ports.get(i), ports.size() > 1, names, "spec.ports[" + i + "]", errs);
        MetaValidation.validateLabels(Fields.stringMap(spec, "selector"), "spec.selector", errs);
        String affinity = Fields.str(spec, "sessionAffinity");
        Validators.oneOf(affinity, AFFINITIES, "spec.sessionAffinity", errs);
        if (affinity.equals("ClientIP")) {
            long timeout = Fields.num(Fields.get(Fields.get(spec, "sessionAffinityConfig"), "clientIP"), "timeoutSeconds");
            if (timeout <= 0 || timeout > 86400) {
                errs.add(FieldError.invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", String.valueOf(timeout),
                        Formats.inclusiveRangeError(1, 86400)));
            }
        } else if (affinity.equals("None") && Fields.has(spec, "sessionAffinityConfig")) {
            errs.add(FieldError.forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
        }
        if (!type.equals("ExternalName")) validateClusterIps(spec, clusterIPs, headless, errs);
        List<String> external = Fields.strings(spec, "externalIPs");
        for (int i = 0; external != null && i < external.size(); i++) {
            List<FieldError> ipErrs = new ArrayList<>();
            Validators.ip(external.get(i), "spec.externalIPs[" + i + "]", ipErrs);
            if (ipErrs.isEmpty()) Validators.nonSpecialIp(external.get(i), "spec.externalIPs[" + i + "]", false, ipErrs);
            errs.addAll(ipErrs);
        }
        Validators.oneOf(type, TYPES, "spec.type", errs);
        validatePortsAcrossEntries(ports, type, errs);
        validateTrafficPolicies(spec, type, errs);
    }

    private static void validateExternalName(JsonNode spec, List<String> clusterIPs, List<FieldError> errs) {
        if (clusterIPs != null && !clusterIPs.isEmpty()) {
            errs.add(FieldError.forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
        }
        if (!Fields.list(spec, "ipFamilies").isEmpty()) {
            errs.add(FieldError.forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
        }
        if (Fields.has(spec, "ipFamilyPolicy")) {
            errs.add(FieldError.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
        }
        String cname = Fields.str(spec, "externalName");
        if (cname.endsWith(".")) cname = cname.substring(0, cname.length() - 1);
        if (cname.isEmpty()) {
            errs.add(FieldError.required("spec.externalName", ""));
        } else {
            Validators.dns1123Subdomain(cname, "spec.externalName", errs);
        }
    }

    private static void validatePort(JsonNode port, boolean requireName, Set<String> names, String path, List<FieldError> errs) {
        String name = Fields.str(port, "name");
        if (requireName && name.isEmpty()) {
            errs.add(FieldError.required(path + ".name", ""));
        } else if (!name.isEmpty()) {
            Validators.dns1123Label(name, path + ".name", errs);
            if (!names.add(name)) errs.add(FieldError.duplicate(path + ".name", quote(name)));
        }
        long p = Fields.num(port, "port");
        for (String m : Formats.portNum(p)) errs.add(FieldError.invalid(path + ".port", String.valueOf(p), m));
        Validators.protocol(port, path, errs);
        Validators.portNumOrName(Fields.get(port, "targetPort"), path + ".targetPort", errs);
        Validators.appProtocol(port, path, errs);
    }

    /** nodePort on ClusterIP services, duplicate nodePorts and duplicate (protocol, port) pairs. */
    private static void validatePortsAcrossEntries(List<JsonNode> ports, String type, List<FieldError> errs) {
        Set<String> nodePorts = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            long nodePort = Fields.num(port, "nodePort");
            if (type.equals("ClusterIP") && nodePort != 0) {
                errs.add(FieldError.forbidden("spec.ports[" + i + "].nodePort", "may not be used when `type` is 'ClusterIP'"));
            }
        }
        for (int i = 0; i < ports.size(); i++) {
            long nodePort = Fields.num(ports.get(i), "nodePort");
            if (nodePort != 0 && !nodePorts.add(Fields.str(ports.get(i), "protocol") + "/" + nodePort)) {
                errs.add(FieldError.duplicate("spec.ports[" + i + "].nodePort", String.valueOf(nodePort)));
            }
        }
        for (int i = 0; i < ports.size(); i++) {
            String protocol = Fields.str(ports.get(i), "protocol");
            long port = Fields.num(ports.get(i), "port");
            if (!keys.add(protocol + "/" + port)) {
                // Upstream prints the map key it used: a ServicePort with only protocol and port set.
                errs.add(FieldError.duplicate("spec.ports[" + i + "]", "core.ServicePort{Name:\"\", Protocol:" + quote(protocol)
                        + ", AppProtocol:(*string)(nil), Port:" + port
                        + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"));
            }
        }
    }

    private static void validateTrafficPolicies(JsonNode spec, String type, List<FieldError> errs) {
        boolean external = type.equals("NodePort") || type.equals("LoadBalancer")
                || (type.equals("ClusterIP") && !Fields.list(spec, "externalIPs").isEmpty());
        String etp = Fields.str(spec, "externalTrafficPolicy");
        if (!external) {
            if (!etp.isEmpty()) {
                errs.add(FieldError.invalid("spec.externalTrafficPolicy", quote(etp), "may only be set for externally-accessible services"));
            }
        } else {
            Validators.oneOf(etp, TRAFFIC_POLICIES, "spec.externalTrafficPolicy", errs);
        }
        long hc = Fields.num(spec, "healthCheckNodePort");
        boolean needsHealthCheck = type.equals("LoadBalancer") && etp.equals("Local");
        if (!needsHealthCheck && hc != 0) {
            errs.add(FieldError.invalid("spec.healthCheckNodePort", String.valueOf(hc),
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
        }
        if (Fields.has(spec, "allocateLoadBalancerNodePorts") && !type.equals("LoadBalancer")) {
            errs.add(FieldError.forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"));
        }
        String itp = Fields.str(spec, "internalTrafficPolicy");
        if (itp.isEmpty()) {
            if (List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type)) {
                errs.add(FieldError.required("spec.internalTrafficPolicy", ""));
            }
        } else if (!TRAFFIC_POLICIES.contains(itp)) {
            errs.add(FieldError.notSupported("spec.internalTrafficPolicy", quote(itp), TRAFFIC_POLICIES));
        }
    }

    private static void validateClusterIps(JsonNode spec, List<String> clusterIPs, boolean headless, List<FieldError> errs) {
        String clusterIP = Fields.str(spec, "clusterIP");
        List<String> ips = clusterIPs == null ? List.of() : clusterIPs;
        if (!clusterIP.isEmpty()) {
            if (ips.isEmpty()) {
                errs.add(FieldError.required("spec.clusterIPs", ""));
            } else if (!ips.get(0).equals(clusterIP)) {
                errs.add(FieldError.invalid("spec.clusterIPs", GoFormat.stringSlice(clusterIPs), "first value must match `clusterIP`"));
            }
        } else if (!ips.isEmpty()) {
            errs.add(FieldError.invalid("spec.clusterIPs", GoFormat.stringSlice(clusterIPs), "must be empty when `clusterIP` is not specified"));
        }
        List<String> families = Fields.strings(spec, "ipFamilies");
        Set<String> seen = new HashSet<>();
        for (int i = 0; families != null && i < families.size(); i++) {
            String f = families.get(i);
            if (!IP_FAMILIES.contains(f)) errs.add(FieldError.notSupported("spec.ipFamilies[" + i + "]", quote(f), IP_FAMILIES));
            if (!seen.add(f)) errs.add(FieldError.duplicate("spec.ipFamilies[" + i + "]", quote(f)));
        }
        String policy = Fields.str(spec, "ipFamilyPolicy");
        if (Fields.has(spec, "ipFamilyPolicy") && !IP_FAMILY_POLICIES.contains(policy)) {
            errs.add(FieldError.notSupported("spec.ipFamilyPolicy", quote(policy), IP_FAMILY_POLICIES));
        }
        boolean invalid = false;
        for (int i = 0; i < ips.size(); i++) {
            if (i == 0 && ips.get(0).equals("None")) {
                if (ips.size() > 1) {
                    invalid = true;
                    errs.add(FieldError.invalid("spec.clusterIPs", GoFormat.stringSlice(clusterIPs), "'None' must be the first and only value"));
                }
                continue;
            }
            invalid |= Validators.ip(ips.get(i), "spec.clusterIPs[" + i + "]", errs) == null;
        }
        if (ips.size() > 2) errs.add(FieldError.invalid("spec.clusterIPs", GoFormat.stringSlice(clusterIPs), "may only hold up to 2 values"));
        if (invalid) return;
        if (ips.size() == 2 && IpAddresses.isIPv4(IpAddresses.parse(ips.get(0))) == IpAddresses.isIPv4(IpAddresses.parse(ips.get(1)))) {
            errs.add(FieldError.invalid("spec.clusterIPs", GoFormat.stringSlice(clusterIPs), "may specify no more than one IP for each IP family"));
        }
        if (!headless && families != null) {
            for (int i = 0; i < ips.size() && i < families.size(); i++) {
                boolean v4 = IpAddresses.isIPv4(IpAddresses.parse(ips.get(i)));
                String want = families.get(i);
                if ((want.equals("IPv4") && !v4) || (want.equals("IPv6") && v4)) {
                    errs.add(FieldError.invalid("spec.clusterIPs[" + i + "]", quote(ips.get(i)),
                            "expected an " + want + " value as indicated by `ipFamilies[" + i + "]`"));
                }
            }
        }
    }

    /** clusterIPs may grow or shrink (dual-stack), never change their primary; ExternalName is exempt. */
    private static void validateClusterIpUpdate(JsonNode spec, JsonNode oldSpec, List<FieldError> errs) {
        if (Fields.str(spec, "type").equals("ExternalName") || Fields.str(oldSpec, "type").equals("ExternalName")) return;
        List<String> now = Fields.strings(spec, "clusterIPs");
        List<String> before = Fields.strings(oldSpec, "clusterIPs");
        List<String> n = now == null ? List.of() : now;
        List<String> o = before == null ? List.of() : before;
        boolean newHeadless = n.size() == 1 && n.get(0).equals("None");
        boolean oldHeadless = o.size() == 1 && o.get(0).equals("None");
        if (newHeadless && oldHeadless) return;
        String rendered = GoFormat.stringSlice(now);
        if (n.size() == o.size()) {
            for (int i = 0; i < o.size(); i++) {
                if (!o.get(i).equals(n.get(i))) errs.add(FieldError.invalid("spec.clusterIPs[" + i + "]", rendered, "may not change once set"));
            }
        } else if (o.size() > n.size()) {
            if (n.isEmpty()) errs.add(FieldError.invalid("spec.clusterIPs[0]", rendered, "primary clusterIP can not be unset"));
            if (!n.isEmpty() && !n.get(0).equals(o.get(0))) {
                errs.add(FieldError.invalid("spec.clusterIPs[0]", rendered, "may not change once set"));
            }
        } else if (!o.isEmpty() && !n.get(0).equals(o.get(0))) {
            errs.add(FieldError.invalid("spec.clusterIPs[0]", rendered, "may not change once set"));
        }
    }
}
