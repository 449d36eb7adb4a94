package dev.roster.proxy.userspace;

import java.util.ArrayList;
import java.util.List;

/**
 * What the proxy needs to know about one port of one Service: the addresses it is reached at and
 * how its endpoints are chosen.
 *
 * @param service "namespace/name"
 * @param portName the port's name ("" when unnamed), which EndpointSlice ports are matched by
 * @param affinitySeconds ClientIP affinity timeout, 0 without affinity
 */
record ServicePortSpec(String service, String portName, String protocol, int port,
        List<String> clusterIPs, int nodePort, List<String> loadBalancerIPs, List<String> externalIPs,
        int affinitySeconds) {

    /** "namespace/name:port" as upstream names a service port. */
    String id() {
        return service + (portName.isEmpty() ? "" : ":" + portName);
    }

    /** Every address and port this Service port is served at, NodePorts on {@code nodeAddresses}. */
    List<ListenerKey> listeners(List<String> nodeAddresses) {
        List<ListenerKey> keys = new ArrayList<>();
        for (String ip : clusterIPs) keys.add(new ListenerKey(protocol, ip, port));
        if (nodePort > 0) for (String ip : nodeAddresses) keys.add(new ListenerKey(protocol, ip, nodePort));
        for (String ip : loadBalancerIPs) keys.add(new ListenerKey(protocol, ip, port));
        for (String ip : externalIPs) keys.add(new ListenerKey(protocol, ip, port));
        return keys.stream().distinct().toList();
    }
}
