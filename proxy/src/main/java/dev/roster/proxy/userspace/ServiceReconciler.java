package dev.roster.proxy.userspace;

import dev.roster.proxy.model.ServicePortName;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one Service ("namespace/name") at a time: reads it and its EndpointSlices through the shared
 * model, updates the balancer of each port (endpoint changes swap the set atomically, so the next
 * connection sees them), has the {@link ListenerRegistry} bind or close listeners to match, and the
 * {@link ConnectRoutes} follow. Called by one worker thread.
 */
final class ServiceReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceReconciler.class);

    private final Function<String, Service> services;
    private final Function<String, List<EndpointSlice>> slicesOf;
    private final List<String> nodeAddresses;
    private final ListenerRegistry listeners;
    private final ConnectRoutes routes;
    private final ServiceEvents events;
    /** Per Service: "portName/protocol" → the port's balancer (read by accessors: a concurrent map). */
    private final Map<String, Map<String, Balancer>> balancersBy = new ConcurrentHashMap<>();

    ServiceReconciler(Function<String, Service> services, Function<String, List<EndpointSlice>> slicesOf,
                      List<String> nodeAddresses, ListenerRegistry listeners, ConnectRoutes routes, ServiceEvents events) {
        this.services = services;
        this.slicesOf = slicesOf;
        this.nodeAddresses = nodeAddresses;
        this.listeners = listeners;
        this.routes = routes;
        this.events = events;
    }

    /** Makes the listeners and endpoint sets of one Service match the caches; false when a bind failed (retry). */
    boolean reconcile(String key) {
        Service svc = services.apply(key);
        List<ServicePortSpec> ports = svc == null ? List.of() : ServicePortSpec.of(svc);
        Map<ServicePortName, List<Backend>> endpoints = ports.isEmpty() ? Map.of() : Backend.byPort(slicesOf.apply(key));

        Map<String, Balancer> previous = balancersBy.getOrDefault(key, Map.of());
        Map<String, Balancer> balancers = new HashMap<>();
        Map<ListenerKey, Balancer> wanted = new HashMap<>();
        for (ServicePortSpec p : ports) {
            String id = p.portName() + "/" + p.protocol();
            Balancer b = previous.containsKey(id) ? previous.get(id) : new Balancer();
            b.update(endpoints.getOrDefault(p.name(), List.of()), p.affinitySeconds());
            balancers.put(id, b);
            for (ListenerKey lk : p.listeners(nodeAddresses)) wanted.putIfAbsent(lk, b);
        }
        if (balancers.isEmpty()) balancersBy.remove(key);
        else balancersBy.put(key, balancers);

        ListenerRegistry.Synced synced = listeners.sync(key, wanted, (lk, msg) -> {
            LOG.warn("service {}: {}", key, msg);
            if (svc != null) events.warning(svc, BindFailure.REASON, msg);
        });
        routes.route(key, synced.listeners());
        return !synced.failed();
    }

    /** The balancers of one Service by "portName/protocol" (empty when it has none). */
    Map<String, Balancer> balancers(String key) {
        return balancersBy.getOrDefault(key, Map.of());
    }
}
