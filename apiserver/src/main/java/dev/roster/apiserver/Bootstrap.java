package dev.roster.apiserver;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.authz.rbac.BootstrapPolicy;
import dev.roster.apiserver.authz.rbac.PolicyReconciler;
import dev.roster.apiserver.rest.RequestTarget;
import dev.roster.apiserver.rest.ResourceStore;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The objects every cluster starts with: the four system namespaces and the default/kubernetes
 * Service on the first address of the service range, with Endpoints and an EndpointSlice pointing at the API
 * server itself; and the default RBAC policy.
 */
final class Bootstrap {
    static final List<String> NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private Bootstrap() {}

    static void run(ResourceStore store, ResourceRegistry registry, String firstServiceIp, String apiHost, int apiPort) {
        PolicyReconciler.reconcile(store, registry, BootstrapPolicy.defaults());
        ResourceType namespaces = registry.find("", "v1", "namespaces").orElseThrow();
        for (String ns : NAMESPACES) {
            if (store.find(namespaces, null, ns).isPresent()) continue;
            ObjectNode obj = Json.object();
            obj.putObject("metadata").put("name", ns);
            obj.withObject("metadata").putObject("labels").put("kubernetes.io/metadata.name", ns);
            createQuietly(store, new RequestTarget(namespaces, null, null, null), obj);
        }
        ResourceType services = registry.find("", "v1", "services").orElseThrow();
        if (store.find(services, "default", "kubernetes").isEmpty()) {
            ObjectNode svc = Json.object();
            ObjectNode meta = svc.putObject("metadata");
            meta.put("name", "kubernetes");
            ObjectNode labels = meta.putObject("labels");
            labels.put("component", "apiserver");
            labels.put("provider", "kubernetes");
            ObjectNode spec = svc.putObject("spec");
            spec.put("type", "ClusterIP");
            spec.put("clusterIP", firstServiceIp);
            ObjectNode port = spec.putArray("ports").addObject();
            port.put("name", "https");
            port.put("port", 443);
            port.put("protocol", "TCP");
            port.put("targetPort", apiPort);
            createQuietly(store, new RequestTarget(services, "default", null, null), svc);
        }
        ResourceType endpoints = registry.find("", "v1", "endpoints").orElseThrow();
        ObjectNode ep = Json.object();
        ObjectNode meta = ep.putObject("metadata");
        meta.put("name", "kubernetes");
        meta.putObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = ep.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", apiHost);
        ObjectNode p = subset.putArray("ports").addObject();
        p.put("name", "https");
        p.put("port", apiPort);
        p.put("protocol", "TCP");
        RequestTarget epTarget = new RequestTarget(endpoints, "default", "kubernetes", null);
        if (store.find(endpoints, "default", "kubernetes").isEmpty()) {
            createQuietly(store, new RequestTarget(endpoints, "default", null, null), ep);
        } else {
            // the API server's port may differ from the last run: keep the endpoints true
            store.update(epTarget, cur -> {
                cur.set("subsets", ep.get("subsets"));
                return cur;
            }, false);
        }
        slice(store, registry, apiHost, apiPort);
    }

    /**
     * The {@code kubernetes} EndpointSlice upstream's endpoint reconciler keeps beside the Endpoints (which are not
     * mirrored): service proxies route the Service by it, so in-cluster clients reach the API server.
     */
    private static void slice(ResourceStore store, ResourceRegistry registry, String apiHost, int apiPort) {
        ResourceType slices = registry.find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
        ObjectNode slice = Json.object();
        ObjectNode meta = slice.putObject("metadata");
        meta.put("name", "kubernetes");
        meta.putObject("labels").put("kubernetes.io/service-name", "kubernetes");
        slice.put("addressType", apiHost.contains(":") ? "IPv6" : "IPv4");
        ObjectNode endpoint = slice.putArray("endpoints").addObject();
        endpoint.putArray("addresses").add(apiHost);
        endpoint.putObject("conditions").put("ready", true);
        ObjectNode port = slice.putArray("ports").addObject();
        port.put("name", "https");
        port.put("port", apiPort);
        port.put("protocol", "TCP");
        if (store.find(slices, "default", "kubernetes").isEmpty()) {
            createQuietly(store, new RequestTarget(slices, "default", null, null), slice);
        } else {
            store.update(new RequestTarget(slices, "default", "kubernetes", null), cur -> {
                cur.set("endpoints", slice.get("endpoints"));
                cur.set("ports", slice.get("ports"));
                return cur;
            }, false);
        }
    }

    private static void createQuietly(ResourceStore store, RequestTarget t, ObjectNode obj) {
        try {
            store.create(t, obj, false);
        } catch (ApiException e) {
            if (e.code() != 409) throw e;
        }
    }
}
