package dev.roster.api.schema;

import dev.roster.api.ResourceType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsList;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountList;
import io.fabric8.kubernetes.api.model.ServiceList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetList;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceList;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The schemas of every kind roster serves, by group-version-kind and by component name. Built
 * lazily, a kind at a time, on first use (reflection over the model classes costs class loading,
 * which {@code roster up} keeps off its start path); afterwards lookups are map reads.
 */
public final class SchemaCatalog {

    /** The groups whose endpoints accept DeleteOptions and answer Status; upstream lists them on both. */
    private static final List<String> OPTION_GROUPS =
            List.of("", "apps", "autoscaling", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "rbac.authorization.k8s.io");

    private final ModelReflector reflector;
    private final SchemaRules rules;
    private final Map<Schema.Gvk, Class<?>> kinds = new LinkedHashMap<>();
    /** Read without the lock on every validated request; written under it. */
    private final Map<Schema.Gvk, Schema> built = new java.util.concurrent.ConcurrentHashMap<>();

    private SchemaCatalog(SchemaRules rules) {
        this.rules = rules;
        this.reflector = new ModelReflector(rules);
        core("Namespace", Namespace.class, NamespaceList.class);
        core("Node", Node.class, NodeList.class);
        core("Pod", Pod.class, PodList.class);
        core("Service", Service.class, ServiceList.class);
        core("Endpoints", Endpoints.class, EndpointsList.class);
        core("Event", Event.class, EventList.class);
        core("ConfigMap", ConfigMap.class, ConfigMapList.class);
        core("Secret", Secret.class, SecretList.class);
        core("ServiceAccount", ServiceAccount.class, ServiceAccountList.class);
        kind("apps", "v1", "Deployment", Deployment.class, DeploymentList.class);
        kind("apps", "v1", "ReplicaSet", ReplicaSet.class, ReplicaSetList.class);
        kind("discovery.k8s.io", "v1", "EndpointSlice", EndpointSlice.class, EndpointSliceList.class);
        kind("events.k8s.io", "v1", "Event", io.fabric8.kubernetes.api.model.events.v1.Event.class,
                io.fabric8.kubernetes.api.model.events.v1.EventList.class);
        kind("coordination.k8s.io", "v1", "Lease", Lease.class, LeaseList.class);
        String rbac = "rbac.authorization.k8s.io";
        kind(rbac, "v1", "Role", io.fabric8.kubernetes.api.model.rbac.Role.class, io.fabric8.kubernetes.api.model.rbac.RoleList.class);
        kind(rbac, "v1", "ClusterRole", io.fabric8.kubernetes.api.model.rbac.ClusterRole.class,
                io.fabric8.kubernetes.api.model.rbac.ClusterRoleList.class);
        kind(rbac, "v1", "RoleBinding", io.fabric8.kubernetes.api.model.rbac.RoleBinding.class,
                io.fabric8.kubernetes.api.model.rbac.RoleBindingList.class);
        kind(rbac, "v1", "ClusterRoleBinding", io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class,
                io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingList.class);
        kinds.put(new Schema.Gvk("autoscaling", "v1", "Scale"), Scale.class);
        for (String g : OPTION_GROUPS) {
            String v = "v1";
            kinds.put(new Schema.Gvk(g, v, "DeleteOptions"), DeleteOptions.class);
            kinds.put(new Schema.Gvk(g, v, "Status"), Status.class);
        }
    }

    private static final class Holder {
        static final SchemaCatalog BUILTIN = new SchemaCatalog(SchemaRules.builtin());
    }

    /** The schemas of roster's built-in kinds. */
    public static SchemaCatalog builtin() {
        return Holder.BUILTIN;
    }

    private void core(String kind, Class<?> type, Class<?> list) {
        kind("", "v1", kind, type, list);
    }

    private void kind(String group, String version, String kind, Class<?> type, Class<?> list) {
        kinds.put(new Schema.Gvk(group, version, kind), type);
        kinds.put(new Schema.Gvk(group, version, kind + "List"), list);
    }

    /** The top-level schema of a kind, or null when roster serves no such kind. */
    public Schema kind(String group, String version, String kind) {
        Schema.Gvk gvk = new Schema.Gvk(group, version, kind);
        Schema s = built.get(gvk);
        return s != null ? s : build(gvk);
    }

    private synchronized Schema build(Schema.Gvk gvk) {
        Schema s = built.get(gvk);
        if (s != null) return s;
        Class<?> c = kinds.get(gvk);
        if (c == null) return null;
        s = reflector.of(c);
        s.gvk(gvk);
        built.put(gvk, s);
        return s;
    }

    /** The schema of a served resource's objects. */
    public Schema kind(ResourceType type) {
        return kind(type.group(), type.version(), type.kind());
    }

    /** Every group-version-kind with a schema. */
    public Set<Schema.Gvk> gvks() {
        return java.util.Collections.unmodifiableSet(kinds.keySet());
    }

    /** Builds every kind (for documents that list them all, and for tests). */
    public synchronized void buildAll() {
        for (Schema.Gvk g : kinds.keySet()) build(g);
    }

    /** A named component, or null when not built (call {@link #kind} or {@link #buildAll} first). */
    public synchronized Schema component(String name) {
        return reflector.named(name);
    }

    /** The roots and every named schema reachable from them, by name. */
    public static Map<String, Schema> closure(Collection<Schema> roots) {
        Map<String, Schema> out = new TreeMap<>();
        Deque<Schema> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Schema s = todo.pop();
            if (s.isNamed() && out.putIfAbsent(s.name(), s) != null) continue;
            if (s.items() != null) todo.push(s.items());
            if (s.values() != null) todo.push(s.values());
            for (Property p : s.properties().values()) todo.push(p.schema());
        }
        return out;
    }

    /** Rules that matched no field of any built type (call after {@link #buildAll}). */
    synchronized Set<String> unusedRules() {
        return rules.unused();
    }
}
