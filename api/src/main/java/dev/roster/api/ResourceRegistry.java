package dev.roster.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The resources roster serves, in the order discovery lists them. */
public final class ResourceRegistry {

    private final List<ResourceType> types;
    private final Map<String, ResourceType> byGroupVersionResource = new LinkedHashMap<>();

    public ResourceRegistry(List<ResourceType> types) {
        this.types = List.copyOf(types);
        for (ResourceType t : types) {
            byGroupVersionResource.put(t.groupVersion() + "/" + t.resource(), t);
        }
    }

    /** The built-in resources of issue #2. */
    public static ResourceRegistry builtin() {
        List<ResourceType> t = new ArrayList<>();
        List<String> none = List.of();
        List<String> all = List.of("all");
        List<String> status = List.of("status");
        t.add(core("configmaps", "configmap", "ConfigMap", true, List.of("cm"), none, none));
        t.add(core("endpoints", "endpoints", "Endpoints", true, List.of("ep"), none, none));
        t.add(core("events", "event", "Event", true, List.of("ev"), none, none));
        t.add(core("namespaces", "namespace", "Namespace", false, List.of("ns"), none, List.of("finalize", "status")));
        t.add(core("nodes", "node", "Node", false, List.of("no"), none, status));
        t.add(core("pods", "pod", "Pod", true, List.of("po"), all, List.of("binding", "log", "status")));
        t.add(core("secrets", "secret", "Secret", true, none, none, none));
        t.add(core("serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), none, List.of("token")));
        t.add(core("services", "service", "Service", true, List.of("svc"), all, status));
        t.add(named("apps", "v1", "deployments", "deployment", "Deployment", List.of("deploy"), all, List.of("scale", "status")));
        t.add(named("apps", "v1", "replicasets", "replicaset", "ReplicaSet", List.of("rs"), all, List.of("scale", "status")));
        t.add(new ResourceType("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, none, none, none,
                "/registry/coordination.k8s.io/leases"));
        t.add(named("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", none, none, none));
        // events.k8s.io/v1 serves the same objects as core/v1 events, converted.
        t.add(new ResourceType("events.k8s.io", "v1", "events", "event", "Event", true, List.of("ev"), none, none,
                "/registry/core/events"));
        addRbac(t);
        // authentication.k8s.io: who a token or the caller is; v1beta1 SelfSubjectReview is what kubectl 1.27 asks
        t.add(ResourceType.review("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", false));
        t.add(ResourceType.review("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", false));
        t.add(ResourceType.review("authentication.k8s.io", "v1beta1", "selfsubjectreviews", "SelfSubjectReview", false));
        return new ResourceRegistry(t);
    }

    /** rbac.authorization.k8s.io/v1 and the authorization.k8s.io/v1 reviews that answer questions about it. */
    private static void addRbac(List<ResourceType> t) {
        String rbac = "rbac.authorization.k8s.io";
        String prefix = "/registry/" + rbac + "/";
        List<String> none = List.of();
        t.add(new ResourceType(rbac, "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, none, none, none,
                prefix + "clusterrolebindings"));
        t.add(new ResourceType(rbac, "v1", "clusterroles", "clusterrole", "ClusterRole", false, none, none, none, prefix + "clusterroles"));
        t.add(new ResourceType(rbac, "v1", "rolebindings", "rolebinding", "RoleBinding", true, none, none, none, prefix + "rolebindings"));
        t.add(new ResourceType(rbac, "v1", "roles", "role", "Role", true, none, none, none, prefix + "roles"));
        String authz = "authorization.k8s.io";
        t.add(ResourceType.review(authz, "v1", "localsubjectaccessreviews", "LocalSubjectAccessReview", true));
        t.add(ResourceType.review(authz, "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false));
        t.add(ResourceType.review(authz, "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false));
        t.add(ResourceType.review(authz, "v1", "subjectaccessreviews", "SubjectAccessReview", false));
    }

    private static ResourceType core(String resource, String singular, String kind, boolean namespaced,
            List<String> shortNames, List<String> categories, List<String> subresources) {
        return new ResourceType("", "v1", resource, singular, kind, namespaced, shortNames, categories, subresources,
                "/registry/core/" + resource);
    }

    private static ResourceType named(String group, String version, String resource, String singular, String kind,
            List<String> shortNames, List<String> categories, List<String> subresources) {
        return new ResourceType(group, version, resource, singular, kind, true, shortNames, categories, subresources,
                "/registry/" + group + "/" + resource);
    }

    public List<ResourceType> all() {
        return Collections.unmodifiableList(types);
    }

    public Optional<ResourceType> find(String group, String version, String resource) {
        String gv = group.isEmpty() ? version : group + "/" + version;
        return Optional.ofNullable(byGroupVersionResource.get(gv + "/" + resource));
    }

    /** Group-versions in discovery order: core first, then named groups in registration order. */
    public List<String> groupVersions() {
        return types.stream().map(ResourceType::groupVersion).distinct().toList();
    }
}
