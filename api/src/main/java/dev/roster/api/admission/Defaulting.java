package dev.roster.api.admission;

import dev.roster.api.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills in what upstream fills in before validation: the v1 defaulting functions, the field
 * normalisations of the registry strategies (namespace finalizers, secret stringData, service
 * clusterIPs) and, for Pods, the default admission plugins. Idempotent, so it also runs on updates.
 */
public final class Defaulting {
    private Defaulting() {}

    public static void apply(ResourceType type, ObjectNode object) {
        switch (type.group() + "/" + type.kind()) {
            case "/Pod" -> PodDefaults.pod(object);
            case "/Service" -> service(object);
            case "/Endpoints" -> endpoints(object);
            case "discovery.k8s.io/EndpointSlice" -> endpointSlice(object);
            case "apps/Deployment" -> deployment(object);
            case "apps/ReplicaSet" -> replicaSet(object);
            case "/Namespace" -> namespace(object);
            case "/Secret" -> secret(object);
            case "/Node" -> node(object);
            case "rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding" ->
                    RbacValidation.defaultSubjects(object);
            default -> { }
        }
    }

    private static void service(ObjectNode svc) {
        ObjectNode spec = PodDefaults.child(svc, "spec");
        String affinity = Fields.str(spec, "sessionAffinity");
        if (affinity.isEmpty()) spec.put("sessionAffinity", affinity = "None");
        if (affinity.equals("None")) spec.remove("sessionAffinityConfig");
        if (affinity.equals("ClientIP") && !spec.path("sessionAffinityConfig").path("clientIP").has("timeoutSeconds")) {
            PodDefaults.child(PodDefaults.child(spec, "sessionAffinityConfig"), "clientIP").put("timeoutSeconds", 10800);
        }
        String type = Fields.str(spec, "type");
        if (type.isEmpty()) spec.put("type", type = "ClusterIP");
        for (JsonNode p : spec.path("ports")) {
            if (!(p instanceof ObjectNode port)) continue;
            if (Fields.str(port, "protocol").isEmpty()) port.put("protocol", "TCP");
            JsonNode target = port.get("targetPort");
            boolean unset = target == null || target.isNull() || (target.isNumber() && target.asLong() == 0)
                    || (target.isString() && target.asString().isEmpty());
            if (unset) port.put("targetPort", (int) Fields.num(port, "port"));
        }
        boolean external = type.equals("NodePort") || type.equals("LoadBalancer")
                || (type.equals("ClusterIP") && !Fields.list(spec, "externalIPs").isEmpty());
        if (external && Fields.str(spec, "externalTrafficPolicy").isEmpty()) spec.put("externalTrafficPolicy", "Cluster");
        if (!spec.has("internalTrafficPolicy") && !type.equals("ExternalName")) spec.put("internalTrafficPolicy", "Cluster");
        if (type.equals("LoadBalancer") && !spec.has("allocateLoadBalancerNodePorts")) {
            spec.put("allocateLoadBalancerNodePorts", true);
        }
        // The registry keeps clusterIP and clusterIPs in step before validating.
        String clusterIP = Fields.str(spec, "clusterIP");
        ArrayNode ips = spec.get("clusterIPs") instanceof ArrayNode a ? a : null;
        if (!clusterIP.isEmpty() && (ips == null || ips.isEmpty())) {
            spec.putArray("clusterIPs").add(clusterIP);
        } else if (clusterIP.isEmpty() && ips != null && !ips.isEmpty()) {
            spec.put("clusterIP", ips.get(0).asString());
        }
        // A single-stack IPv4 cluster, as kubectl expose shows on one: allocation would set these.
        if (!type.equals("ExternalName")) {
            if (!spec.has("ipFamilyPolicy")) spec.put("ipFamilyPolicy", "SingleStack");
            if (!(spec.get("ipFamilies") instanceof ArrayNode f) || f.isEmpty()) spec.putArray("ipFamilies").add("IPv4");
        }
    }

    private static void endpoints(ObjectNode ep) {
        for (JsonNode ss : ep.path("subsets")) {
            for (JsonNode p : ss.path("ports")) {
                if (p instanceof ObjectNode port && Fields.str(port, "protocol").isEmpty()) port.put("protocol", "TCP");
            }
        }
    }

    private static void endpointSlice(ObjectNode slice) {
        for (JsonNode p : slice.path("ports")) {
            if (!(p instanceof ObjectNode port)) continue;
            if (!Fields.has(port, "name")) port.put("name", "");
            if (!Fields.has(port, "protocol")) port.put("protocol", "TCP");
        }
    }

    private static void deployment(ObjectNode d) {
        ObjectNode spec = PodDefaults.child(d, "spec");
        if (!Fields.has(spec, "replicas")) spec.put("replicas", 1);
        ObjectNode strategy = PodDefaults.child(spec, "strategy");
        if (Fields.str(strategy, "type").isEmpty()) strategy.put("type", "RollingUpdate");
        if (Fields.str(strategy, "type").equals("RollingUpdate")) {
            ObjectNode rolling = PodDefaults.child(strategy, "rollingUpdate");
            if (!Fields.has(rolling, "maxUnavailable")) rolling.put("maxUnavailable", "25%");
            if (!Fields.has(rolling, "maxSurge")) rolling.put("maxSurge", "25%");
        }
        if (!Fields.has(spec, "revisionHistoryLimit")) spec.put("revisionHistoryLimit", 10);
        if (!Fields.has(spec, "progressDeadlineSeconds")) spec.put("progressDeadlineSeconds", 600);
        template(spec);
    }

    private static void replicaSet(ObjectNode rs) {
        ObjectNode spec = PodDefaults.child(rs, "spec");
        if (!Fields.has(spec, "replicas")) spec.put("replicas", 1);
        template(spec);
    }

    private static void template(ObjectNode spec) {
        if (spec.get("template") instanceof ObjectNode t) PodDefaults.spec(PodDefaults.child(t, "spec"));
    }

    /**
     * The name label and the Active phase. The "kubernetes" finalizer is not a default: the API
     * server adds it on create only, so that finalizing a namespace can remove it.
     */
    private static void namespace(ObjectNode ns) {
        String name = Fields.str(Fields.get(ns, "metadata"), "name");
        if (!name.isEmpty()) {
            PodDefaults.child(PodDefaults.child(ns, "metadata"), "labels").put("kubernetes.io/metadata.name", name);
        }
        ObjectNode status = PodDefaults.child(ns, "status");
        if (Fields.str(status, "phase").isEmpty()) status.put("phase", "Active");
    }

    /** type Opaque, and stringData folded into data as upstream's conversion does (stringData wins). */
    private static void secret(ObjectNode secret) {
        if (Fields.str(secret, "type").isEmpty()) secret.put("type", "Opaque");
        if (secret.get("stringData") instanceof ObjectNode sd) {
            ObjectNode data = PodDefaults.child(secret, "data");
            sd.properties().forEach(e -> data.put(e.getKey(),
                    Base64.getEncoder().encodeToString(e.getValue().asString("").getBytes(StandardCharsets.UTF_8))));
        }
        secret.remove("stringData");
    }

    /** Allocatable defaults to capacity. */
    private static void node(ObjectNode node) {
        JsonNode status = Fields.get(node, "status");
        if (status instanceof ObjectNode s && s.get("capacity") instanceof ObjectNode cap && !s.has("allocatable")) {
            s.set("allocatable", cap.deepCopy());
        }
    }
}
