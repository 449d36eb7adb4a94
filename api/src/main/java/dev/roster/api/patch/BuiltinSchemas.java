package dev.roster.api.patch;

import java.util.Map;

/**
 * The merge strategies of the built-in kinds, transcribed from the {@code patchStrategy} /
 * {@code patchMergeKey} tags of upstream's core/v1, apps/v1, discovery/v1 and meta/v1 types.
 * Lists with a list-map in OpenAPI but no patch tag (tolerations, Endpoints subsets,
 * EndpointSlice endpoints and ports, node taints, managedFields, ...) are atomic for strategic
 * merge patch and so are not listed here; server-side apply is where their map keys matter.
 */
final class BuiltinSchemas {

    private BuiltinSchemas() {}

    static final PatchSchema OBJECT_META = PatchSchema.builder()
            .set("finalizers")
            .mergeList("ownerReferences", "uid", PatchSchema.NONE)
            .build();

    /** Container and EphemeralContainer carry the same tags. */
    static final PatchSchema CONTAINER = PatchSchema.builder()
            .mergeList("ports", "containerPort", PatchSchema.NONE)
            .mergeList("env", "name", PatchSchema.NONE)
            .mergeList("volumeMounts", "mountPath", PatchSchema.NONE)
            .mergeList("volumeDevices", "devicePath", PatchSchema.NONE)
            .build();

    static final PatchSchema POD_SPEC = PatchSchema.builder()
            // retainKeys on volumes: kubectl sends $retainKeys in each volume so that switching
            // from, say, emptyDir to configMap drops the old source.
            .mergeRetainList("volumes", "name", PatchSchema.NONE)
            .mergeList("initContainers", "name", CONTAINER)
            .mergeList("containers", "name", CONTAINER)
            .mergeList("ephemeralContainers", "name", CONTAINER)
            .mergeList("imagePullSecrets", "name", PatchSchema.NONE)
            .mergeList("hostAliases", "ip", PatchSchema.NONE)
            .mergeList("topologySpreadConstraints", "topologyKey", PatchSchema.NONE)
            .mergeList("schedulingGates", "name", PatchSchema.NONE)
            .mergeRetainList("resourceClaims", "name", PatchSchema.NONE)
            .build();

    static final PatchSchema POD_STATUS = PatchSchema.builder()
            .mergeList("conditions", "type", PatchSchema.NONE)
            .mergeList("podIPs", "ip", PatchSchema.NONE)
            .mergeList("hostIPs", "ip", PatchSchema.NONE)
            .mergeRetainList("resourceClaimStatuses", "name", PatchSchema.NONE)
            .build();

    static final PatchSchema POD_TEMPLATE_SPEC = PatchSchema.builder()
            .object("metadata", OBJECT_META)
            .object("spec", POD_SPEC)
            .build();

    /** Deployment, ReplicaSet, Namespace, Service status: conditions keyed by type. */
    static final PatchSchema CONDITIONS_STATUS = PatchSchema.builder()
            .mergeList("conditions", "type", PatchSchema.NONE)
            .build();

    static final PatchSchema DEPLOYMENT_SPEC = PatchSchema.builder()
            .object("template", POD_TEMPLATE_SPEC)
            // A one-of: switching RollingUpdate -> Recreate must drop rollingUpdate.
            .retainKeys("strategy", PatchSchema.NONE)
            .build();

    static final PatchSchema REPLICA_SET_SPEC = PatchSchema.builder()
            .object("template", POD_TEMPLATE_SPEC)
            .build();

    static final PatchSchema SERVICE_SPEC = PatchSchema.builder()
            // OpenAPI lists port+protocol as the list-map keys, but the struct tag, which is what
            // strategic merge patch reads, keys by port alone.
            .mergeList("ports", "port", PatchSchema.NONE)
            .build();

    static final PatchSchema NODE_SPEC = PatchSchema.builder()
            .set("podCIDRs")
            .build();

    static final PatchSchema NODE_STATUS = PatchSchema.builder()
            .mergeList("addresses", "type", PatchSchema.NONE)
            .mergeList("conditions", "type", PatchSchema.NONE)
            .build();

    private static final PatchSchema METADATA_ONLY = kind(null, null).build();

    private static final Map<String, PatchSchema> KINDS = Map.ofEntries(
            Map.entry("/Pod", kind(POD_SPEC, POD_STATUS).build()),
            Map.entry("/Service", kind(SERVICE_SPEC, CONDITIONS_STATUS).build()),
            Map.entry("/Node", kind(NODE_SPEC, NODE_STATUS).build()),
            Map.entry("/Namespace", kind(null, CONDITIONS_STATUS).build()),
            Map.entry("/ServiceAccount", kind(null, null)
                    .mergeList("secrets", "name", PatchSchema.NONE)
                    .build()),
            Map.entry("/Endpoints", METADATA_ONLY),
            Map.entry("/ConfigMap", METADATA_ONLY),
            Map.entry("/Secret", METADATA_ONLY),
            Map.entry("/Event", METADATA_ONLY),
            Map.entry("apps/Deployment", kind(DEPLOYMENT_SPEC, CONDITIONS_STATUS).build()),
            Map.entry("apps/ReplicaSet", kind(REPLICA_SET_SPEC, CONDITIONS_STATUS).build()),
            Map.entry("coordination.k8s.io/Lease", METADATA_ONLY),
            Map.entry("discovery.k8s.io/EndpointSlice", METADATA_ONLY),
            Map.entry("events.k8s.io/Event", METADATA_ONLY));

    static PatchSchema forKind(String group, String kind) {
        return KINDS.getOrDefault(group + "/" + kind, METADATA_ONLY);
    }

    private static PatchSchema.Builder kind(PatchSchema spec, PatchSchema status) {
        PatchSchema.Builder b = PatchSchema.builder().object("metadata", OBJECT_META);
        if (spec != null) b.object("spec", spec);
        if (status != null) b.object("status", status);
        return b;
    }
}
