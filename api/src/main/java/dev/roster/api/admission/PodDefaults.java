package dev.roster.api.admission;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Upstream's v1 defaults for pod specs, plus what the default admission plugins add to Pods. */
final class PodDefaults {
    private PodDefaults() {}

    /** A bare Pod: spec defaults, Pod-only defaults, and the admission plugins' additions. */
    static void pod(ObjectNode pod) {
        ObjectNode spec = child(pod, "spec");
        spec(spec);
        for (JsonNode c : containers(spec)) requestsFromLimits((ObjectNode) c);
        if (!spec.has("enableServiceLinks")) spec.put("enableServiceLinks", true);
        if (spec.path("hostNetwork").asBoolean(false)) {
            for (JsonNode c : containers(spec)) {
                for (JsonNode p : c.path("ports")) {
                    if (p instanceof ObjectNode port && port.path("hostPort").asLong(0) == 0) {
                        port.put("hostPort", port.path("containerPort").asInt(0));
                    }
                }
            }
        }
        admissionPlugins(spec);
    }

    /** A pod template's spec gets the spec defaults only, as in Deployments and ReplicaSets. */
    static void spec(ObjectNode spec) {
        if (Fields.str(spec, "dnsPolicy").isEmpty()) spec.put("dnsPolicy", "ClusterFirst");
        if (Fields.str(spec, "restartPolicy").isEmpty()) spec.put("restartPolicy", "Always");
        if (!spec.has("securityContext") || spec.get("securityContext").isNull()) spec.putObject("securityContext");
        if (!spec.has("terminationGracePeriodSeconds")) spec.put("terminationGracePeriodSeconds", 30);
        if (Fields.str(spec, "schedulerName").isEmpty()) spec.put("schedulerName", "default-scheduler");
        for (JsonNode c : containers(spec)) container((ObjectNode) c);
        for (JsonNode v : spec.path("volumes")) {
            if (v instanceof ObjectNode vol) volume(vol);
        }
    }

    static void container(ObjectNode c) {
        if (Fields.str(c, "imagePullPolicy").isEmpty()) {
            c.put("imagePullPolicy", "latest".equals(imageTag(Fields.str(c, "image"))) ? "Always" : "IfNotPresent");
        }
        if (Fields.str(c, "terminationMessagePath").isEmpty()) c.put("terminationMessagePath", "/dev/termination-log");
        if (Fields.str(c, "terminationMessagePolicy").isEmpty()) c.put("terminationMessagePolicy", "File");
        // resources is a non-pointer struct upstream, so it always serialises, as {} when empty.
        if (!(c.get("resources") instanceof ObjectNode)) c.putObject("resources");
        for (JsonNode p : c.path("ports")) {
            if (p instanceof ObjectNode port && Fields.str(port, "protocol").isEmpty()) port.put("protocol", "TCP");
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (c.get(probe) instanceof ObjectNode p) probe(p);
        }
        if (c.get("lifecycle") instanceof ObjectNode l) {
            for (String hook : List.of("postStart", "preStop")) {
                if (l.get(hook) instanceof ObjectNode h && h.get("httpGet") instanceof ObjectNode g) httpGet(g);
            }
        }
        for (JsonNode e : c.path("env")) {
            if (e.path("valueFrom").get("fieldRef") instanceof ObjectNode ref && Fields.str(ref, "apiVersion").isEmpty()) {
                ref.put("apiVersion", "v1");
            }
        }
    }

    private static void probe(ObjectNode p) {
        if (p.path("timeoutSeconds").asLong(0) == 0) p.put("timeoutSeconds", 1);
        if (p.path("periodSeconds").asLong(0) == 0) p.put("periodSeconds", 10);
        if (p.path("successThreshold").asLong(0) == 0) p.put("successThreshold", 1);
        if (p.path("failureThreshold").asLong(0) == 0) p.put("failureThreshold", 3);
        if (p.get("httpGet") instanceof ObjectNode g) httpGet(g);
    }

    private static void httpGet(ObjectNode g) {
        if (Fields.str(g, "path").isEmpty()) g.put("path", "/");
        if (Fields.str(g, "scheme").isEmpty()) g.put("scheme", "HTTP");
    }

    private static void volume(ObjectNode v) {
        List<String> sources = List.of("secret", "configMap", "downwardAPI", "projected");
        boolean hasSource = false;
        for (var name : v.propertyNames()) hasSource |= !name.equals("name");
        if (!hasSource) v.putObject("emptyDir");
        for (String s : sources) {
            if (v.get(s) instanceof ObjectNode src && !src.has("defaultMode")) src.put("defaultMode", 420);
        }
        if (v.get("hostPath") instanceof ObjectNode hp && !hp.has("type")) hp.put("type", "");
    }

    /** Limits without requests imply requests equal to the limits (Pods only, not templates). */
    private static void requestsFromLimits(ObjectNode c) {
        if (!(c.path("resources").get("limits") instanceof ObjectNode limits)) return;
        ObjectNode resources = (ObjectNode) c.get("resources");
        ObjectNode requests = resources.get("requests") instanceof ObjectNode r ? r : resources.putObject("requests");
        limits.properties().forEach(e -> {
            if (!requests.has(e.getKey())) requests.set(e.getKey(), e.getValue().deepCopy());
        });
    }

    /**
     * What a real cluster's default admission chain adds: Priority (priority 0, PreemptLowerPriority),
     * ServiceAccount (the "default" account) and DefaultTolerationSeconds (300s for not-ready and
     * unreachable nodes). The ServiceAccount plugin's token volume needs the stored ServiceAccount, so the API server's
     * admission adds it on create ({@link ServiceAccountVolume}).
     */
    private static void admissionPlugins(ObjectNode spec) {
        if (!spec.has("priority")) spec.put("priority", 0);
        if (Fields.str(spec, "preemptionPolicy").isEmpty()) spec.put("preemptionPolicy", "PreemptLowerPriority");
        if (Fields.str(spec, "serviceAccountName").isEmpty()) {
            spec.put("serviceAccountName", Fields.str(spec, "serviceAccount").isEmpty() ? "default" : Fields.str(spec, "serviceAccount"));
        }
        spec.put("serviceAccount", Fields.str(spec, "serviceAccountName"));
        ArrayNode tolerations = spec.get("tolerations") instanceof ArrayNode a ? a : spec.putArray("tolerations");
        for (String key : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
            boolean present = false;
            for (JsonNode t : tolerations) {
                // as upstream's plugin: the key matches (or is empty, i.e. any key) and the effect is NoExecute or any
                String effect = Fields.str(t, "effect");
                String k = Fields.str(t, "key");
                present |= (k.equals(key) || k.isEmpty()) && (effect.isEmpty() || effect.equals("NoExecute"));
            }
            if (!present) {
                ObjectNode t = tolerations.addObject();
                t.put("key", key).put("operator", "Exists").put("effect", "NoExecute").put("tolerationSeconds", 300);
            }
        }
    }

    /** The tag of an image reference; "latest" when there is neither tag nor digest. */
    static String imageTag(String image) {
        if (image.contains("@")) return "";
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "latest";
    }

    static ObjectNode child(ObjectNode parent, String name) {
        return parent.get(name) instanceof ObjectNode o ? o : parent.putObject(name);
    }

    private static List<JsonNode> containers(ObjectNode spec) {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
            for (JsonNode c : spec.path(list)) {
                if (c instanceof ObjectNode) out.add(c);
            }
        }
        return out;
    }
}
