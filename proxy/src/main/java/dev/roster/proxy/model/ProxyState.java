package dev.roster.proxy.model;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a renderer needs besides the node settings: the service ports of one IP family and
 * their endpoints. Immutable. Services are kept in name order so renders are deterministic (upstream
 * iterates a Go map; its tests sort the output).
 */
public record ProxyState(SortedMap<ServicePortName, ServicePortInfo> services,
                         Map<ServicePortName, List<EndpointInfo>> endpoints) {

    public ProxyState {
        services = Collections.unmodifiableSortedMap(new TreeMap<>(services));
        endpoints = Map.copyOf(endpoints);
    }

    public static final ProxyState EMPTY = new ProxyState(new TreeMap<>(), Map.of());

    /** Builds the state from API objects used as given (no defaulting). */
    public static ProxyState from(Collection<Service> services, Collection<EndpointSlice> slices, ProxySettings settings) {
        TreeMap<ServicePortName, ServicePortInfo> ports = new TreeMap<>();
        for (Service s : services) {
            for (ServicePortInfo p : ServicePorts.from(s, settings.family())) ports.put(p.name(), p);
        }
        return new ProxyState(ports, EndpointSlices.merge(slices, settings.family(), settings.nodeName()));
    }

    /** The endpoints of one service port, in {@code ip:port} order (empty when none). */
    public List<EndpointInfo> endpointsOf(ServicePortName name) {
        List<EndpointInfo> l = endpoints.get(name);
        return l == null ? List.of() : l;
    }

    /** Total endpoints of the known service ports: what upstream's large-cluster threshold counts. */
    public int totalEndpoints() {
        int n = 0;
        for (ServicePortName name : services.keySet()) n += endpointsOf(name).size();
        return n;
    }
}
