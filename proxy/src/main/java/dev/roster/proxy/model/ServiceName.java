package dev.roster.proxy.model;

/**
 * A Service's namespace and name: the key of "what changed since the last sync". A change to a Service
 * or to any of its EndpointSlices marks every port of the Service as changed, as upstream does.
 */
public record ServiceName(String namespace, String name) implements Comparable<ServiceName> {
    @Override
    public String toString() {
        return namespace + "/" + name;
    }

    @Override
    public int compareTo(ServiceName o) {
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : name.compareTo(o.name);
    }
}
