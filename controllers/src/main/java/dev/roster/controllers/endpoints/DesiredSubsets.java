package dev.roster.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/** The subsets an Endpoints object should hold for a service and the pods its selector matches (pure). */
public final class DesiredSubsets {
    private DesiredSubsets() {}

    public static List<EndpointSubset> compute(Service svc, List<Pod> pods) {
        var spec = svc.getSpec();
        boolean publishNotReady = Boolean.TRUE.equals(spec.getPublishNotReadyAddresses());
        boolean headless = "None".equals(spec.getClusterIP());
        List<ServicePort> ports = spec.getPorts() == null ? List.of() : spec.getPorts();
        List<EndpointSubset> subsets = new ArrayList<>();
        for (Pod pod : pods) {
            if (!PodRules.shouldBeInEndpoints(pod, publishNotReady)) continue;
            String ip = PodRules.addressFor(pod, svc);
            if (ip == null) continue;
            EndpointAddress addr = address(pod, svc, ip);
            boolean ready = publishNotReady || PodRules.isReady(pod);
            if (ports.isEmpty()) {
                if (headless) subsets.add(subset(addr, ready, null));
                continue;
            }
            for (ServicePort sp : ports) {
                OptionalInt port = PodRules.findPort(pod, sp);
                if (port.isEmpty()) continue;
                EndpointPort ep = new EndpointPort();
                ep.setName(sp.getName() == null ? "" : sp.getName());
                ep.setPort(port.getAsInt());
                ep.setProtocol(PodRules.protocol(sp.getProtocol()));
                ep.setAppProtocol(sp.getAppProtocol());
                subsets.add(subset(addr, ready, ep));
            }
        }
        return Repack.repack(subsets);
    }

    private static EndpointSubset subset(EndpointAddress addr, boolean ready, EndpointPort port) {
        EndpointSubset s = new EndpointSubset();
        if (ready) {
            s.setAddresses(new ArrayList<>(List.of(addr)));
        } else {
            s.setNotReadyAddresses(new ArrayList<>(List.of(addr)));
        }
        s.setPorts(port == null ? null : new ArrayList<>(List.of(port)));
        return s;
    }

    static EndpointAddress address(Pod pod, Service svc, String ip) {
        EndpointAddress a = new EndpointAddress();
        a.setIp(ip);
        // Upstream always sets nodeName, "" for an unscheduled pod; API validation rejects "" (it must be a DNS
        // subdomain), so roster leaves it out instead. Pods with IPs are scheduled in practice.
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        a.setNodeName(node == null || node.isEmpty() ? null : node);
        ObjectReference ref = new ObjectReference();
        ref.setKind("Pod");
        ref.setNamespace(pod.getMetadata().getNamespace());
        ref.setName(pod.getMetadata().getName());
        ref.setUid(pod.getMetadata().getUid());
        a.setTargetRef(ref);
        if (PodRules.shouldSetHostname(pod, svc)) a.setHostname(pod.getSpec().getHostname());
        return a;
    }

    /** Subsets compared the way the no-op check needs: empty strings equal absent ones, resourceVersion ignored. */
    static boolean sameSubsets(List<EndpointSubset> a, List<EndpointSubset> b) {
        return canonical(a).equals(canonical(b));
    }

    private static List<String> canonical(List<EndpointSubset> subsets) {
        List<String> out = new ArrayList<>();
        if (subsets == null) return out;
        for (EndpointSubset s : subsets) {
            StringBuilder sb = new StringBuilder();
            appendAddresses(sb.append("R"), s.getAddresses());
            appendAddresses(sb.append("N"), s.getNotReadyAddresses());
            sb.append("P");
            if (s.getPorts() != null) {
                for (EndpointPort p : s.getPorts()) {
                    sb.append('[').append(str(p.getName())).append(',').append(p.getPort()).append(',')
                            .append(str(p.getProtocol())).append(',').append(str(p.getAppProtocol())).append(']');
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static void appendAddresses(StringBuilder sb, List<EndpointAddress> list) {
        if (list == null) return;
        for (EndpointAddress a : list) {
            sb.append('[').append(str(a.getIp())).append(',').append(str(a.getHostname())).append(',').append(str(a.getNodeName()));
            ObjectReference r = a.getTargetRef();
            if (r != null) {
                sb.append(",ref:").append(str(r.getKind())).append('/').append(str(r.getNamespace())).append('/')
                        .append(str(r.getName())).append('/').append(str(r.getUid()));
            }
            sb.append(']');
        }
    }

    private static String str(String s) { return s == null ? "" : s; }
}
