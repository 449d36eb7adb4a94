package dev.roster.proxy.model;

/**
 * One port of one Service: the unit kube-proxy builds rules for. {@link #toString()} is upstream's
 * service-port string ({@code ns/name:port}, or {@code ns/name} for an unnamed port); it appears in
 * comments and is hashed into chain names together with the lower-case protocol.
 */
public record ServicePortName(ServiceName service, String port, Protocol protocol) implements Comparable<ServicePortName> {
    public ServicePortName {
        port = port == null ? "" : port;
    }

    public static ServicePortName of(String namespace, String name, String port, Protocol protocol) {
        return new ServicePortName(new ServiceName(namespace, name), port, protocol);
    }

    @Override
    public String toString() {
        return port.isEmpty() ? service.toString() : service + ":" + port;
    }

    @Override
    public int compareTo(ServicePortName o) {
        int c = service.compareTo(o.service);
        if (c != 0) return c;
        c = port.compareTo(o.port);
        return c != 0 ? c : protocol.compareTo(o.protocol);
    }
}
