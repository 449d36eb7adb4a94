package dev.roster.api.apply;

import static dev.roster.api.apply.FieldType.ATOMIC;
import static dev.roster.api.apply.FieldType.MAP;
import static dev.roster.api.apply.FieldType.SET;
import static dev.roster.api.apply.FieldType.associative;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The list types and atomic structs of the built-in kinds, transcribed from upstream's
 * {@code +listType}, {@code +listMapKey}, {@code +mapType} and {@code +structType} markers (what
 * its OpenAPI publishes as {@code x-kubernetes-list-type} and friends). They differ from the
 * strategic-merge tags in {@code PatchSchema} where upstream's do: container and Service ports
 * are keyed by port and protocol, tolerations and Endpoints subsets are atomic, label selectors
 * are owned whole.
 *
 * <p>Each kind also has its skeleton: the fields an empty Go object of that type serialises
 * (structs without omitempty, nil pointers and slices as null). Upstream compares against such
 * an object, so whether a map counts as newly added (and gets its {@code ".": {}} marker)
 * depends on it.
 */
public final class ApplySchemas {
    private ApplySchemas() {}

    private static final Map<String, String> TCP = Map.of("protocol", "TCP");

    static final FieldType OBJECT_META = FieldType.map()
            .field("finalizers", SET)
            .field("ownerReferences", associative(MAP, "uid"))
            .field("managedFields", ATOMIC)
            .build();

    static final FieldType CONTAINER = FieldType.map()
            .field("ports", associative(MAP, TCP, "containerPort", "protocol"))
            .field("env", associative(MAP, "name"))
            .field("volumeMounts", associative(MAP, "mountPath"))
            .field("volumeDevices", associative(MAP, "devicePath"))
            .field("resources", FieldType.map().field("claims", associative(MAP, "name")).build())
            .build();

    static final FieldType POD_SPEC = FieldType.map()
            .field("volumes", associative(MAP, "name"))
            .field("initContainers", associative(CONTAINER, "name"))
            .field("containers", associative(CONTAINER, "name"))
            .field("ephemeralContainers", associative(CONTAINER, "name"))
            .field("imagePullSecrets", associative(MAP, "name"))
            .field("hostAliases", associative(MAP, "ip"))
            .field("topologySpreadConstraints", associative(MAP, "topologyKey", "whenUnsatisfiable"))
            .field("schedulingGates", associative(MAP, "name"))
            .field("resourceClaims", associative(MAP, "name"))
            .field("nodeSelector", ATOMIC)
            .build();

    static final FieldType CONDITIONS = FieldType.map()
            .field("conditions", associative(MAP, "type"))
            .build();

    static final FieldType POD_STATUS = FieldType.map()
            .field("conditions", associative(MAP, "type"))
            .field("podIPs", associative(MAP, "ip"))
            .field("hostIPs", associative(MAP, "ip"))
            .field("resourceClaimStatuses", associative(MAP, "name"))
            .build();

    static final FieldType POD_TEMPLATE = FieldType.map()
            .field("metadata", OBJECT_META)
            .field("spec", POD_SPEC)
            .build();

    static final FieldType WORKLOAD_SPEC = FieldType.map()
            .field("selector", ATOMIC)
            .field("template", POD_TEMPLATE)
            .build();

    static final FieldType SERVICE_SPEC = FieldType.map()
            .field("ports", associative(MAP, TCP, "port", "protocol"))
            .field("selector", ATOMIC)
            .build();

    static final FieldType NODE_SPEC = FieldType.map()
            .field("podCIDRs", SET)
            .build();

    static final FieldType NODE_STATUS = FieldType.map()
            .field("conditions", associative(MAP, "type"))
            .field("addresses", associative(MAP, "type"))
            .build();

    static final FieldType SERVICE_ACCOUNT_SECRETS = associative(MAP, "name");

    private static final FieldType METADATA_ONLY = kind(null, null).build();

    private static final Map<String, FieldType> KINDS = Map.ofEntries(
            Map.entry("/Pod", kind(POD_SPEC, POD_STATUS).build()),
            Map.entry("/Service", kind(SERVICE_SPEC, CONDITIONS).build()),
            Map.entry("/Node", kind(NODE_SPEC, NODE_STATUS).build()),
            Map.entry("/Namespace", kind(null, CONDITIONS).build()),
            Map.entry("/ServiceAccount", kind(null, null).field("secrets", SERVICE_ACCOUNT_SECRETS).build()),
            Map.entry("apps/Deployment", kind(WORKLOAD_SPEC, CONDITIONS).build()),
            Map.entry("apps/ReplicaSet", kind(WORKLOAD_SPEC, CONDITIONS).build()));

    /** The apply schema of a kind; unknown kinds merge every map and replace every list. */
    public static FieldType forType(ResourceType type) {
        return KINDS.getOrDefault(type.group() + "/" + type.kind(), METADATA_ONLY);
    }

    private static FieldType.Builder kind(FieldType spec, FieldType status) {
        FieldType.Builder b = FieldType.map().field("metadata", OBJECT_META);
        if (spec != null) b.field("spec", spec);
        if (status != null) b.field("status", status);
        return b;
    }

    private static final String META = "\"metadata\":{\"creationTimestamp\":null}";
    private static final String TEMPLATE = "\"template\":{" + META + ",\"spec\":{\"containers\":null}}";
    private static final Map<String, String> SKELETONS = Map.ofEntries(
            Map.entry("/Pod", "{" + META + ",\"spec\":{\"containers\":null},\"status\":{}}"),
            Map.entry("/Service", "{" + META + ",\"spec\":{},\"status\":{\"loadBalancer\":{}}}"),
            Map.entry("/Namespace", "{" + META + ",\"spec\":{},\"status\":{}}"),
            Map.entry("/Node", "{" + META + ",\"spec\":{},\"status\":{\"daemonEndpoints\":{\"kubeletEndpoint\":{}},\"nodeInfo\":{}}}"),
            Map.entry("/Event", "{" + META + ",\"involvedObject\":{},\"source\":{}}"),
            Map.entry("apps/Deployment", "{" + META + ",\"spec\":{\"selector\":null," + TEMPLATE + ",\"strategy\":{}},\"status\":{}}"),
            Map.entry("apps/ReplicaSet", "{" + META + ",\"spec\":{\"selector\":null," + TEMPLATE + "},\"status\":{}}"),
            Map.entry("coordination.k8s.io/Lease", "{" + META + ",\"spec\":{}}"),
            Map.entry("discovery.k8s.io/EndpointSlice", "{" + META + ",\"endpoints\":null}"));
    private static final Map<String, ObjectNode> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The skeleton of a kind (shared, read only). */
    public static ObjectNode skeleton(ResourceType type) {
        String k = type.group() + "/" + type.kind();
        return PARSED.computeIfAbsent(k, x -> (ObjectNode) Json.parse(SKELETONS.getOrDefault(x, "{" + META + "}")));
    }
}
