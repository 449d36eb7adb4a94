package dev.roster.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/** The pod rules shared by the discovery controllers (which pods count, readiness, ports, hostnames, IPs). */
public final class PodRules {
    private PodRules() {}

    /** Terminal pods and pods without an IP never count; terminating ones only when {@code includeTerminating}. */
    public static boolean shouldBeInEndpoints(Pod pod, boolean includeTerminating) {
        var status = pod.getStatus();
        String phase = status == null ? null : status.getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) return false;
        boolean noIp = status == null || (empty(status.getPodIP()) && (status.getPodIPs() == null || status.getPodIPs().isEmpty()));
        if (noIp) return false;
        return includeTerminating || pod.getMetadata().getDeletionTimestamp() == null;
    }

    /** The pod's Ready condition, or null. */
    public static PodCondition readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) return null;
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) return c;
        }
        return null;
    }

    /** Ready iff the Ready condition is "True"; nothing else is consulted. */
    public static boolean isReady(Pod pod) {
        PodCondition c = readyCondition(pod);
        return c != null && "True".equals(c.getStatus());
    }

    /** A hostname is published only for pods whose subdomain names this service, in its namespace. */
    public static boolean shouldSetHostname(Pod pod, Service svc) {
        var spec = pod.getSpec();
        return spec != null && !empty(spec.getHostname()) && Objects.equals(spec.getSubdomain(), svc.getMetadata().getName())
                && Objects.equals(pod.getMetadata().getNamespace(), svc.getMetadata().getNamespace());
    }

    /**
     * The pod port a service port targets: a numeric targetPort as is; a named one resolved against the pod's
     * containers (then restartable init containers) by name and protocol. Empty when the name is not found.
     */
    public static OptionalInt findPort(Pod pod, ServicePort sp) {
        IntOrString target = sp.getTargetPort();
        if (target == null || (target.getStrVal() == null && target.getIntVal() == null)) {
            return OptionalInt.of(sp.getPort() == null ? 0 : sp.getPort()); // API defaulting: targetPort = port
        }
        if (target.getStrVal() == null) return OptionalInt.of(target.getIntVal());
        String name = target.getStrVal();
        String protocol = protocol(sp.getProtocol());
        if (pod.getSpec() == null) return OptionalInt.empty();
        OptionalInt found = scan(pod.getSpec().getContainers(), name, protocol, false);
        if (found.isPresent()) return found;
        return scan(pod.getSpec().getInitContainers(), name, protocol, true);
    }

    private static OptionalInt scan(List<Container> containers, String name, String protocol, boolean sidecarsOnly) {
        if (containers == null) return OptionalInt.empty();
        for (Container c : containers) {
            if (sidecarsOnly && !"Always".equals(c.getRestartPolicy())) continue;
            if (c.getPorts() == null) continue;
            for (ContainerPort p : c.getPorts()) {
                if (name.equals(p.getName()) && protocol.equals(protocol(p.getProtocol())) && p.getContainerPort() != null) {
                    return OptionalInt.of(p.getContainerPort());
                }
            }
        }
        return OptionalInt.empty();
    }

    static String protocol(String p) { return empty(p) ? "TCP" : p; }

    /**
     * The pod IP to publish for this service: the first of {@code status.podIPs} of the service's family
     * ({@code ipFamilies[0]}, else its clusterIP's, else — headless — the pod IP's own). Null if the pod has none.
     * Deviation: when {@code podIPs} is empty, {@code podIP} is considered (upstream reads only podIPs).
     */
    public static String addressFor(Pod pod, Service svc) {
        var status = pod.getStatus();
        if (status == null) return null;
        var spec = svc.getSpec();
        boolean v6;
        if (spec.getIpFamilies() != null && !spec.getIpFamilies().isEmpty()) {
            v6 = "IPv6".equals(spec.getIpFamilies().get(0));
        } else if (!empty(spec.getClusterIP()) && !"None".equals(spec.getClusterIP())) {
            v6 = isV6(spec.getClusterIP());
        } else {
            v6 = isV6(status.getPodIP());
        }
        List<PodIP> ips = status.getPodIPs();
        if (ips == null || ips.isEmpty()) {
            return !empty(status.getPodIP()) && isV6(status.getPodIP()) == v6 ? status.getPodIP() : null;
        }
        for (PodIP ip : ips) {
            if (!empty(ip.getIp()) && isV6(ip.getIp()) == v6) return ip.getIp();
        }
        return null;
    }

    static boolean isV6(String ip) { return ip != null && ip.indexOf(':') >= 0; }

    /** Whether a non-empty selector selects these labels (an empty or missing selector selects nothing here). */
    /** Keys of the Services in the pod's namespace whose selector matches it (namespace index, not a full scan). */
    public static java.util.Set<String> servicesSelecting(io.fabric8.kubernetes.client.informers.SharedIndexInformer<Service> services, Pod pod) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Service s : services.getIndexer().byIndex(io.fabric8.kubernetes.client.informers.cache.Cache.NAMESPACE_INDEX,
                pod.getMetadata().getNamespace())) {
            if (selects(s.getSpec().getSelector(), pod.getMetadata().getLabels())) keys.add(dev.roster.runtime.Keys.of(s));
        }
        return keys;
    }

    public static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        if (selector == null || selector.isEmpty()) return false;
        for (var e : selector.entrySet()) {
            if (labels == null || !Objects.equals(e.getValue(), labels.get(e.getKey()))) return false;
        }
        return true;
    }

    static boolean empty(String s) { return s == null || s.isEmpty(); }
}
