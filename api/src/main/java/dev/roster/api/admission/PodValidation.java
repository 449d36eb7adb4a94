package dev.roster.api.admission;

import static dev.roster.api.admission.GoFormat.quote;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Pod and pod template checks (pkg/apis/core/validation's pod rules that kubectl users meet). */
final class PodValidation {
    private PodValidation() {}

    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    static final List<String> TERMINATION_MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    static final List<String> HTTP_SCHEMES = List.of("HTTP", "HTTPS");
    static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    static final String UPDATE_FORBIDDEN = "pod updates may not change fields other than `spec.containers[*].image`,"
            + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
            + "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
            + "negative)";

    static void validatePod(JsonNode pod, JsonNode old, List<FieldError> errs) {
        validateSpec(Fields.get(pod, "spec"), "spec", errs);
        if (old != null) validateSpecUpdate(pod, old, errs);
    }

    /** A template's labels and annotations are checked at template.labels, not template.metadata.labels. */
    static void validateTemplate(JsonNode template, String path, List<FieldError> errs) {
        JsonNode meta = Fields.get(template, "metadata");
        MetaValidation.validateLabels(Fields.stringMap(meta, "labels"), path + ".labels", errs);
        MetaValidation.validateAnnotations(Fields.stringMap(meta, "annotations"), path + ".annotations", errs);
        JsonNode spec = Fields.get(template, "spec");
        validateSpec(spec, path + ".spec", errs);
        if (!Fields.list(spec, "ephemeralContainers").isEmpty()) {
            errs.add(FieldError.forbidden(path + ".spec.ephemeralContainers", "ephemeral containers not allowed in pod template"));
        }
    }

    static void validateSpec(JsonNode spec, String path, List<FieldError> errs) {
        Set<String> volumes = validateVolumes(Fields.list(spec, "volumes"), path + ".volumes", errs);
        List<JsonNode> containers = Fields.list(spec, "containers");
        List<JsonNode> inits = Fields.list(spec, "initContainers");
        if (containers.isEmpty()) {
            errs.add(FieldError.required(path + ".containers", ""));
        }
        Set<String> names = new HashSet<>();
        validateContainers(containers, path + ".containers", volumes, names, errs, true);
        // Init container names share the name space of the regular containers.
        validateContainers(inits, path + ".initContainers", volumes, names, errs, false);
        Validators.oneOf(Fields.str(spec, "restartPolicy"), RESTART_POLICIES, path + ".restartPolicy", errs);
        Validators.oneOf(Fields.str(spec, "dnsPolicy"), DNS_POLICIES, path + ".dnsPolicy", errs);
        validateDnsConfig(Fields.get(spec, "dnsConfig"), Fields.str(spec, "dnsPolicy"), path + ".dnsConfig", errs);
        MetaValidation.validateLabels(Fields.stringMap(spec, "nodeSelector"), path + ".nodeSelector", errs);
        validateTolerations(Fields.list(spec, "tolerations"), path + ".tolerations", errs);
        String sa = Fields.str(spec, "serviceAccountName");
        if (!sa.isEmpty()) Validators.dns1123Subdomain(sa, path + ".serviceAccountName", errs);
        String node = Fields.str(spec, "nodeName");
        if (!node.isEmpty()) Validators.dns1123Subdomain(node, path + ".nodeName", errs);
        Long deadline = Fields.optNum(spec, "activeDeadlineSeconds");
        if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
            errs.add(FieldError.invalid(path + ".activeDeadlineSeconds", String.valueOf(deadline),
                    Formats.inclusiveRangeError(1, Integer.MAX_VALUE)));
        }
        String hostname = Fields.str(spec, "hostname");
        if (!hostname.isEmpty()) Validators.dns1123Label(hostname, path + ".hostname", errs);
        String subdomain = Fields.str(spec, "subdomain");
        if (!subdomain.isEmpty()) Validators.dns1123Label(subdomain, path + ".subdomain", errs);
    }

    /**
     * dnsConfig as the kubelet can apply it: None needs at least one nameserver; at most 3 nameservers (IP addresses),
     * 32 search paths (subdomains, underscores allowed, a trailing dot or "." alone accepted) on a line of at most
     * 2048 characters; every option named.
     */
    private static void validateDnsConfig(JsonNode config, String policy, String path, List<FieldError> errs) {
        if (policy.equals("None")) {
            if (config == null || config.isNull()) {
                errs.add(FieldError.required(path, "must provide `dnsConfig` when `dnsPolicy` is None"));
                return;
            }
            if (Fields.strings(config, "nameservers") == null || Fields.strings(config, "nameservers").isEmpty()) {
                errs.add(FieldError.required(path + ".nameservers", "must provide at least one DNS nameserver when `dnsPolicy` is None"));
                return;
            }
        }
        if (config == null || config.isNull()) return;
        List<String> nameservers = Objects.requireNonNullElse(Fields.strings(config, "nameservers"), List.of());
        if (nameservers.size() > 3) {
            errs.add(FieldError.invalid(path + ".nameservers", GoFormat.stringSlice(nameservers), "must not have more than 3 nameservers"));
        }
        for (int i = 0; i < nameservers.size(); i++) Validators.ip(nameservers.get(i), path + ".nameservers[" + i + "]", errs);
        List<String> searches = Objects.requireNonNullElse(Fields.strings(config, "searches"), List.of());
        if (searches.size() > 32) {
            errs.add(FieldError.invalid(path + ".searches", GoFormat.stringSlice(searches), "must not have more than 32 search paths"));
        }
        if (String.join(" ", searches).length() > 2048) {
            errs.add(FieldError.invalid(path + ".searches", GoFormat.stringSlice(searches),
                    "must not have more than 2048 characters (including spaces) in the search list"));
        }
        for (int i = 0; i < searches.size(); i++) {
            String s = searches.get(i);
            if (s.equals(".")) continue;
            String name = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
            for (String m : Formats.dns1123SubdomainWithUnderscore(name)) {
                errs.add(FieldError.invalid(path + ".searches[" + i + "]", quote(name), m));
            }
        }
        List<JsonNode> options = Fields.list(config, "options");
        for (int i = 0; i < options.size(); i++) {
            if (Fields.str(options.get(i), "name").isEmpty()) errs.add(FieldError.required(path + ".options[" + i + "]", "must not be empty"));
        }
    }

    /**
     * Each container of one list, with its name unique among all the pod's containers ({@code names}
     * carries the names across lists); regular containers' probes too.
     */
    private static void validateContainers(List<JsonNode> list, String listPath, Set<String> volumes, Set<String> names,
            List<FieldError> errs, boolean probes) {
        for (int i = 0; i < list.size(); i++) {
            String p = listPath + "[" + i + "]";
            JsonNode c = list.get(i);
            validateContainer(c, volumes, p, errs);
            String name = Fields.str(c, "name");
            if (!names.add(name)) errs.add(FieldError.duplicate(p + ".name", quote(name)));
            if (probes) validateProbes(c, p, errs);
        }
    }

    private static void validateProbes(JsonNode c, String p, List<FieldError> errs) {
        validateProbe(Fields.get(c, "livenessProbe"), p + ".livenessProbe", errs);
        validateProbe(Fields.get(c, "readinessProbe"), p + ".readinessProbe", errs);
        validateProbe(Fields.get(c, "startupProbe"), p + ".startupProbe", errs);
        // Liveness and startup probes either pass or fail once; several successes make no sense.
        for (String probe : List.of("livenessProbe", "startupProbe")) {
            JsonNode pr = Fields.get(c, probe);
            if (pr != null && Fields.num(pr, "successThreshold") != 1) {
                errs.add(FieldError.invalid(p + "." + probe + ".successThreshold",
                        String.valueOf(Fields.num(pr, "successThreshold")), "must be 1"));
            }
        }
    }

    private static Set<String> validateVolumes(List<JsonNode> volumes, String path, List<FieldError> errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            String p = path + "[" + i + "].name";
            String name = Fields.str(volumes.get(i), "name");
            if (name.isEmpty()) {
                errs.add(FieldError.required(p, ""));
            } else {
                Validators.dns1123Label(name, p, errs);
            }
            if (!names.add(name)) errs.add(FieldError.duplicate(p, quote(name)));
        }
        return names;
    }

    private static void validateContainer(JsonNode c, Set<String> volumes, String path, List<FieldError> errs) {
        String name = Fields.str(c, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required(path + ".name", ""));
        } else {
            Validators.dns1123Label(name, path + ".name", errs);
        }
        // Only emptiness is checked: " " is a known placeholder image in templates.
        if (Fields.str(c, "image").isEmpty()) errs.add(FieldError.required(path + ".image", ""));
        Validators.oneOf(Fields.str(c, "terminationMessagePolicy"), TERMINATION_MESSAGE_POLICIES,
                path + ".terminationMessagePolicy", errs);
        List<JsonNode> mounts = Fields.list(c, "volumeMounts");
        for (int i = 0; i < mounts.size(); i++) {
            String p = path + ".volumeMounts[" + i + "]";
            String mount = Fields.str(mounts.get(i), "name");
            if (mount.isEmpty()) {
                errs.add(FieldError.required(p + ".name", ""));
            } else if (!volumes.contains(mount)) {
                errs.add(FieldError.notFound(p + ".name", quote(mount)));
            }
            if (Fields.str(mounts.get(i), "mountPath").isEmpty()) errs.add(FieldError.required(p + ".mountPath", ""));
        }
        validatePorts(Fields.list(c, "ports"), path + ".ports", errs);
        List<JsonNode> env = Fields.list(c, "env");
        for (int i = 0; i < env.size(); i++) {
            String p = path + ".env[" + i + "].name";
            String n = Fields.str(env.get(i), "name");
            if (n.isEmpty()) {
                errs.add(FieldError.required(p, ""));
            } else {
                for (String m : Formats.envVarName(n)) errs.add(FieldError.invalid(p, quote(n), m));
            }
        }
        Validators.oneOf(Fields.str(c, "imagePullPolicy"), PULL_POLICIES, path + ".imagePullPolicy", errs);
    }

    private static void validatePorts(List<JsonNode> ports, String path, List<FieldError> errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String p = path + "[" + i + "]";
            String name = Fields.str(port, "name");
            if (!name.isEmpty()) {
                List<String> msgs = Formats.portName(name);
                if (!msgs.isEmpty()) {
                    for (String m : msgs) errs.add(FieldError.invalid(p + ".name", quote(name), m));
                } else if (!names.add(name)) {
                    errs.add(FieldError.duplicate(p + ".name", quote(name)));
                }
            }
            long containerPort = Fields.num(port, "containerPort");
            if (containerPort == 0) {
                errs.add(FieldError.required(p + ".containerPort", ""));
            } else {
                for (String m : Formats.portNum(containerPort)) {
                    errs.add(FieldError.invalid(p + ".containerPort", String.valueOf(containerPort), m));
                }
            }
            long hostPort = Fields.num(port, "hostPort");
            if (hostPort != 0) {
                for (String m : Formats.portNum(hostPort)) errs.add(FieldError.invalid(p + ".hostPort", String.valueOf(hostPort), m));
            }
            Validators.protocol(port, p, errs);
        }
    }

    private static void validateProbe(JsonNode probe, String path, List<FieldError> errs) {
        if (probe == null) return;
        List<String> handlers = List.of("exec", "httpGet", "tcpSocket", "grpc");
        int count = 0;
        for (String h : handlers) {
            JsonNode action = Fields.get(probe, h);
            if (action == null) continue;
            if (++count > 1) {
                errs.add(FieldError.forbidden(path + "." + h, "may not specify more than 1 handler type"));
                continue;
            }
            String p = path + "." + h;
            switch (h) {
                case "exec" -> {
                    if (Fields.list(action, "command").isEmpty()) errs.add(FieldError.required(p + ".command", ""));
                }
                case "httpGet" -> {
                    if (Fields.str(action, "path").isEmpty()) errs.add(FieldError.required(p + ".path", ""));
                    Validators.portNumOrName(Fields.get(action, "port"), p + ".port", errs);
                    String scheme = Fields.str(action, "scheme");
                    if (!HTTP_SCHEMES.contains(scheme)) errs.add(FieldError.notSupported(p + ".scheme", quote(scheme), HTTP_SCHEMES));
                }
                case "tcpSocket" -> Validators.portNumOrName(Fields.get(action, "port"), p + ".port", errs);
                default -> {
                    long port = Fields.num(action, "port");
                    for (String m : Formats.portNum(port)) errs.add(FieldError.invalid(p + ".port", String.valueOf(port), m));
                }
            }
        }
        if (count == 0) errs.add(FieldError.required(path, "must specify a handler type"));
        for (String f : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold")) {
            Validators.nonNegative(Fields.num(probe, f), path + "." + f, errs);
        }
    }

    private static void validateTolerations(List<JsonNode> tolerations, String path, List<FieldError> errs) {
        for (int i = 0; i < tolerations.size(); i++) {
            JsonNode t = tolerations.get(i);
            String p = path + "[" + i + "]";
            String key = Fields.str(t, "key");
            if (!key.isEmpty()) MetaValidation.validateLabelKey(key, p + ".key", errs);
            String op = Fields.str(t, "operator");
            if (key.isEmpty() && !op.equals("Exists")) {
                errs.add(FieldError.invalid(p + ".operator", quote(op), "operator must be Exists when `key` is empty, "
                        + "which means \"match all values and all keys\""));
            }
            String effect = Fields.str(t, "effect");
            if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
                errs.add(FieldError.notSupported(p + ".effect", quote(effect), TAINT_EFFECTS));
            }
        }
    }

    /** Pods are immutable apart from images, activeDeadlineSeconds, added tolerations and a grace period fix. */
    private static void validateSpecUpdate(JsonNode pod, JsonNode old, List<FieldError> errs) {
        JsonNode spec = Fields.get(pod, "spec");
        JsonNode oldSpec = Fields.get(old, "spec");
        if (!(spec instanceof ObjectNode s) || !(oldSpec instanceof ObjectNode o)) return;
        ObjectNode munged = s.deepCopy();
        for (String list : List.of("containers", "initContainers")) {
            List<JsonNode> now = Fields.list(munged, list);
            List<JsonNode> before = Fields.list(o, list);
            for (int i = 0; i < now.size() && i < before.size(); i++) {
                if (now.get(i) instanceof ObjectNode c) c.set("image", before.get(i).get("image"));
            }
        }
        for (String f : List.of("activeDeadlineSeconds", "terminationGracePeriodSeconds")) {
            munged.remove(f);
            if (o.has(f)) munged.set(f, o.get(f));
        }
        List<JsonNode> newTolerations = Fields.list(s, "tolerations");
        List<JsonNode> oldTolerations = Fields.list(o, "tolerations");
        boolean onlyAdditions = oldTolerations.stream().allMatch(t -> newTolerations.stream().anyMatch(n -> n.equals(t)));
        if (onlyAdditions) {
            munged.remove("tolerations");
            if (o.has("tolerations")) munged.set("tolerations", o.get("tolerations"));
        }
        if (!Fields.semanticEquals(munged, o)) errs.add(FieldError.forbidden("spec", UPDATE_FORBIDDEN));
        Long deadline = Fields.optNum(s, "activeDeadlineSeconds");
        Long oldDeadline = Fields.optNum(o, "activeDeadlineSeconds");
        if (oldDeadline != null && deadline == null) {
            errs.add(FieldError.invalid("spec.activeDeadlineSeconds", "null", "must not update from a positive integer to nil value"));
        } else if (oldDeadline != null && deadline > oldDeadline) {
            errs.add(FieldError.invalid("spec.activeDeadlineSeconds", String.valueOf(deadline),
                    "must be less than or equal to previous value"));
        }
    }
}
