package dev.roster.api.admission;

import static dev.roster.api.admission.GoFormat.quote;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Small field checks reused across resources, each producing upstream's path and message. */
final class Validators {
    private Validators() {}

    static final String NEGATIVE = "must be greater than or equal to 0";
    static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");

    static void dns1123Label(String value, String path, List<FieldError> errs) {
        for (String m : Formats.dns1123Label(value)) errs.add(FieldError.invalid(path, quote(value), m));
    }

    static void dns1123Subdomain(String value, String path, List<FieldError> errs) {
        for (String m : Formats.dns1123Subdomain(value)) errs.add(FieldError.invalid(path, quote(value), m));
    }

    static void nonNegative(long value, String path, List<FieldError> errs) {
        if (value < 0) errs.add(FieldError.invalid(path, String.valueOf(value), NEGATIVE));
    }

    /** Required when empty, otherwise one of the listed values. */
    static void oneOf(String value, List<String> supported, String path, List<FieldError> errs) {
        if (value.isEmpty()) {
            errs.add(FieldError.required(path, ""));
        } else if (!supported.contains(value)) {
            errs.add(FieldError.notSupported(path, quote(value), supported));
        }
    }

    static void protocol(JsonNode port, String path, List<FieldError> errs) {
        oneOf(Fields.str(port, "protocol"), PROTOCOLS, path + ".protocol", errs);
    }

    /** An int-or-string port: a number in 1-65535 or an IANA service name. */
    static void portNumOrName(JsonNode port, String path, List<FieldError> errs) {
        if (port != null && port.isString()) {
            for (String m : Formats.portName(port.asString())) errs.add(FieldError.invalid(path, quote(port.asString()), m));
        } else {
            long n = port == null ? 0 : port.asLong();
            for (String m : Formats.portNum(n)) errs.add(FieldError.invalid(path, String.valueOf(n), m));
        }
    }

    static void appProtocol(JsonNode port, String path, List<FieldError> errs) {
        if (Fields.has(port, "appProtocol")) {
            String v = Fields.str(port, "appProtocol");
            for (String m : Formats.qualifiedName(v)) errs.add(FieldError.invalid(path + ".appProtocol", quote(v), m));
        }
    }

    /** Go's IsValidIP message for values that are not IP literals. */
    static byte[] ip(String value, String path, List<FieldError> errs) {
        byte[] ip = IpAddresses.parse(value);
        if (ip == null) {
            errs.add(FieldError.invalid(path, quote(value), "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
        }
        return ip;
    }

    static void cidr(String value, String path, List<FieldError> errs) {
        if (!IpAddresses.isCidr(value)) {
            errs.add(FieldError.invalid(path, quote(value), "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
        }
    }

    /**
     * Endpoints may not point at unspecified, loopback or link-local addresses; roster's loopback
     * mode lets 127.0.0.0/8 through because its pods live there.
     */
    static void nonSpecialIp(String value, String path, boolean loopbackAllowed, List<FieldError> errs) {
        byte[] ip = IpAddresses.parse(value);
        if (ip == null) {
            errs.add(FieldError.invalid(path, quote(value), "must be a valid IP address"));
            return;
        }
        if (IpAddresses.isUnspecified(ip)) {
            errs.add(FieldError.invalid(path, quote(value), "may not be unspecified (" + value + ")"));
        }
        if (IpAddresses.isLoopback(ip) && !(loopbackAllowed && IpAddresses.isIPv4(ip))) {
            errs.add(FieldError.invalid(path, quote(value), "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
        }
        if (IpAddresses.isLinkLocalUnicast(ip)) {
            errs.add(FieldError.invalid(path, quote(value), "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
        }
        if (IpAddresses.isLinkLocalMulticast(ip)) {
            errs.add(FieldError.invalid(path, quote(value),
                    "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
        }
    }

    /** A metav1.LabelSelector: matchLabels as labels, matchExpressions with operator/values rules. */
    static void labelSelector(JsonNode selector, String path, List<FieldError> errs) {
        if (selector == null) return;
        MetaValidation.validateLabels(Fields.stringMap(selector, "matchLabels"), path + ".matchLabels", errs);
        List<JsonNode> exprs = Fields.list(selector, "matchExpressions");
        for (int i = 0; i < exprs.size(); i++) {
            JsonNode e = exprs.get(i);
            String p = path + ".matchExpressions[" + i + "]";
            String op = Fields.str(e, "operator");
            List<String> values = Fields.strings(e, "values");
            int n = values == null ? 0 : values.size();
            switch (op) {
                case "In", "NotIn" -> {
                    if (n == 0) errs.add(FieldError.required(p + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
                }
                case "Exists", "DoesNotExist" -> {
                    if (n > 0) errs.add(FieldError.forbidden(p + ".values",
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                }
                default -> errs.add(FieldError.invalid(p + ".operator", quote(op), "not a valid selector operator"));
            }
            MetaValidation.validateLabelKey(Fields.str(e, "key"), p + ".key", errs);
            for (int j = 0; values != null && j < values.size(); j++) {
                for (String m : Formats.labelValue(values.get(j))) {
                    errs.add(FieldError.invalid(p + ".values[" + j + "]", quote(values.get(j)), m));
                }
            }
        }
    }

    static boolean selectorMatches(JsonNode selector, Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        Map<String, String> match = Fields.stringMap(selector, "matchLabels");
        if (match != null) {
            for (Map.Entry<String, String> e : match.entrySet()) {
                if (!e.getValue().equals(l.get(e.getKey()))) return false;
            }
        }
        for (JsonNode e : Fields.list(selector, "matchExpressions")) {
            String key = Fields.str(e, "key");
            List<String> values = Fields.strings(e, "values");
            boolean has = l.containsKey(key);
            boolean in = has && values != null && values.contains(l.get(key));
            boolean ok = switch (Fields.str(e, "operator")) {
                case "In" -> in;
                case "NotIn" -> !in;
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> false;
            };
            if (!ok) return false;
        }
        return true;
    }

    /** Go's %#v of a v1.LabelSelector, as printed in selector errors. */
    static String selectorValue(JsonNode selector) {
        StringBuilder b = new StringBuilder("v1.LabelSelector{MatchLabels:")
                .append(GoFormat.stringMap(Fields.stringMap(selector, "matchLabels")))
                .append(", MatchExpressions:");
        JsonNode exprs = Fields.get(selector, "matchExpressions");
        if (exprs == null || !exprs.isArray()) {
            b.append("[]v1.LabelSelectorRequirement(nil)");
        } else {
            b.append("[]v1.LabelSelectorRequirement{");
            for (int i = 0; i < exprs.size(); i++) {
                JsonNode e = exprs.get(i);
                if (i > 0) b.append(", ");
                b.append("v1.LabelSelectorRequirement{Key:").append(quote(Fields.str(e, "key")))
                        .append(", Operator:").append(quote(Fields.str(e, "operator")))
                        .append(", Values:").append(GoFormat.stringSlice(Fields.strings(e, "values"))).append('}');
            }
            b.append('}');
        }
        return b.append('}').toString();
    }
}
