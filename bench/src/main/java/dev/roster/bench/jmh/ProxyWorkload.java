package dev.roster.bench.jmh;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.Protocol;
import dev.roster.proxy.model.ServiceName;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServicePortName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The proxy benchmarks' cluster: N ClusterIP services (every tenth a NodePort) with E ready endpoints
 * each, one of them on this node; and a second state where service 0 lost an endpoint.
 */
public final class ProxyWorkload {
    public static final Set<ServiceName> CHANGED = Set.of(new ServiceName("bench", "svc-0"));

    public final ProxySettings settings;
    public final ProxyState state;
    /** Two states that differ only in service 0's endpoints (same objects otherwise, as the live proxy hands them). */
    public final ProxyState[] flip = new ProxyState[2];

    public ProxyWorkload(int services, int endpoints) {
        settings = ProxySettings.builder().nodeName("node-0").nodeIPs(List.of("192.168.0.2"))
                .clusterCidr("10.244.0.0/16").build();
        TreeMap<ServicePortName, ServicePortInfo> ports = new TreeMap<>();
        Map<ServicePortName, List<EndpointInfo>> eps = new HashMap<>();
        for (int s = 0; s < services; s++) {
            ServicePortName name = ServicePortName.of("bench", "svc-" + s, "http", Protocol.TCP);
            int nodePort = s % 10 == 0 ? 30000 + (s % 2768) : 0;
            ports.put(name, new ServicePortInfo(name, nodePort == 0 ? "ClusterIP" : "NodePort",
                    "10." + (96 + s / 65536) + "." + ((s / 256) % 256) + "." + (s % 256), 80, nodePort,
                    List.of(), List.of(), List.of(), false, 0, false, false, 0));
            List<EndpointInfo> list = new ArrayList<>(endpoints);
            for (int e = 0; e < endpoints; e++) {
                int pod = s * endpoints + e;
                list.add(EndpointInfo.ready("10." + (244 + pod / 65536 / 256) + "." + ((pod / 256) % 256) + "." + (pod % 256),
                        8080, e == 0));
            }
            list.sort((a, b) -> a.hostPort().compareTo(b.hostPort()));
            eps.put(name, List.copyOf(list));
        }
        state = new ProxyState(ports, eps);
        ServicePortName first = ports.firstKey();
        Map<ServicePortName, List<EndpointInfo>> other = new HashMap<>(eps);
        List<EndpointInfo> fewer = new ArrayList<>(eps.get(first));
        fewer.removeLast();
        other.put(first, List.copyOf(fewer));
        flip[0] = state;
        flip[1] = new ProxyState(ports, other);
    }
}
