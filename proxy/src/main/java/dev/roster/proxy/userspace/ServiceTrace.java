package dev.roster.proxy.userspace;

import dev.roster.proxy.model.EndpointSlices;
import dev.roster.proxy.model.ProxiedObjects;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code roster trace} prints: the path a new connection to a Service takes right now, read
 * from the API server — the addresses the Service is reached at, the endpoints the proxy chooses
 * among (with their share and session affinity), and for each the pod, node and container behind
 * it. The choice follows the same rules as the proxy ({@link Balancer#usable}).
 */
public final class ServiceTrace {
    private final KubernetesClient client;

    public ServiceTrace(KubernetesClient client) {
        this.client = client;
    }

    /** An unknown Service or address, told in one line. */
    public static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    /** {@code svc/NAME} (or {@code service/NAME}) in {@code namespace}, or {@code IP:PORT} in any namespace. */
    public String trace(String target, String namespace) {
        String t = target.trim();
        if (t.startsWith("svc/") || t.startsWith("service/") || t.startsWith("services/")) {
            String name = t.substring(t.indexOf('/') + 1);
            Service svc = client.services().inNamespace(namespace).withName(name).get();
            if (svc == null) throw new NotFound("service \"" + name + "\" not found in namespace \"" + namespace + "\"");
            return render(svc, null);
        }
        int colon = t.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("trace svc/NAME or IP:PORT, not \"" + target + "\"");
        String ip = t.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in \"" + target + "\"");
        }
        List<Service> all = new ArrayList<>(client.services().inAnyNamespace().list().getItems());
        all.sort(Comparator.comparing((Service s) -> s.getMetadata().getNamespace()).thenComparing(s -> s.getMetadata().getName()));
        for (Service svc : all) {
            for (ServicePortSpec p : ServicePortSpec.of(svc)) {
                boolean hit = p.port() == port && (p.clusterIPs().contains(ip) || p.loadBalancerIPs().contains(ip)
                        || p.externalIPs().contains(ip));
                if (hit || (p.nodePort() == port && !p.clusterIPs().contains(ip))) return render(svc, p);
            }
        }
        throw new NotFound("no Service port answers on " + t);
    }

    private String render(Service svc, ServicePortSpec only) {
        String ns = svc.getMetadata().getNamespace();
        StringBuilder out = new StringBuilder();
        String type = Objects.requireNonNullElse(svc.getSpec().getType(), "ClusterIP");
        out.append("Service ").append(ns).append('/').append(svc.getMetadata().getName()).append("  type ").append(type);
        List<ServicePortSpec> ports = ServicePortSpec.of(svc);
        if (ports.isEmpty()) {
            out.append("\n  not proxied: ").append(!ProxiedObjects.proxied(svc) ? "labelled for another proxy ("
                            + ProxiedObjects.SERVICE_PROXY_NAME_LABEL + " or " + ProxiedObjects.HEADLESS_LABEL + ")"
                    : "ExternalName".equals(type) ? "an ExternalName Service is a DNS alias"
                    : "a headless Service (clusterIP None) is reached through DNS, straight at its pods").append('\n');
            return out.toString();
        }
        int affinity = ports.get(0).affinitySeconds();
        out.append("  sessionAffinity ").append(affinity > 0 ? "ClientIP (timeout " + affinity + "s)" : "None").append('\n');
        List<EndpointSlice> slices = client.discovery().v1().endpointSlices().inNamespace(ns)
                .withLabel(EndpointSlices.SERVICE_NAME_LABEL, svc.getMetadata().getName()).list().getItems();
        slices.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        for (ServicePortSpec p : ports) {
            if (only != null && !(p.portName().equals(only.portName()) && p.protocol().equals(only.protocol()))) continue;
            renderPort(out, svc, p, slices);
        }
        return out.toString();
    }

    private void renderPort(StringBuilder out, Service svc, ServicePortSpec p, List<EndpointSlice> slices) {
        ServicePort sp = svc.getSpec().getPorts().stream()
                .filter(x -> Objects.requireNonNullElse(x.getName(), "").equals(p.portName())).findFirst().orElseThrow();
        String target = sp.getTargetPort() == null ? Integer.toString(p.port())
                : sp.getTargetPort().getStrVal() != null ? sp.getTargetPort().getStrVal() : sp.getTargetPort().getIntVal().toString();
        out.append("\nport ").append(p.portName().isEmpty() ? "(unnamed)" : p.portName()).append(' ')
                .append(p.port()).append('/').append(p.protocol()).append(" -> targetPort ").append(target).append('\n');
        out.append("  reached at:\n");
        List<String[]> at = new ArrayList<>();
        for (String ip : p.clusterIPs()) at.add(new String[] {"    ClusterIP", hostPort(ip, p.port())});
        if (p.nodePort() > 0) at.add(new String[] {"    NodePort", "<node address>:" + p.nodePort() + " (loopback mode: 127.0.0.1:" + p.nodePort() + ")"});
        for (String ip : p.loadBalancerIPs()) at.add(new String[] {"    LoadBalancer", hostPort(ip, p.port())});
        if ("LoadBalancer".equals(svc.getSpec().getType()) && p.loadBalancerIPs().isEmpty()) {
            at.add(new String[] {"    LoadBalancer", "<pending>"});
        }
        for (String ip : p.externalIPs()) at.add(new String[] {"    externalIP", hostPort(ip, p.port())});
        out.append(table(at));

        List<Backend> all = Backend.byPort(slices).getOrDefault(p.name(), List.of());
        List<Backend> usable = Balancer.usable(all);
        if (usable.isEmpty()) {
            out.append("  no ready endpoint: new connections are refused\n");
        } else {
            boolean fallback = usable.stream().noneMatch(Backend::ready);
            String kind = fallback ? "serving but terminating endpoint" : "ready endpoint";
            if (usable.size() == 1) out.append("  every new connection goes to the only ").append(kind);
            else out.append("  a new connection goes to one of ").append(usable.size()).append(' ').append(kind).append("s, chosen at random");
            if (fallback) out.append(" (none is ready)");
            if (p.affinitySeconds() > 0) {
                out.append("; a client IP then keeps its endpoint while it returns within ").append(p.affinitySeconds()).append('s');
            }
            out.append(":\n");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"    ENDPOINT", "SHARE", "POD", "NODE", "CONTAINER"});
        for (Backend b : usable) {
            rows.add(row(b, String.format(Locale.ROOT, "%.1f%%", 100.0 / usable.size()), slices, svc, p));
        }
        List<Backend> idle = all.stream().filter(b -> !usable.contains(b)).toList();
        for (Backend b : idle) {
            rows.add(row(b, !b.ready() && b.terminating() ? "0 (terminating)" : b.ready() ? "0 (fallback unused)" : "0 (not ready)",
                    slices, svc, p));
        }
        if (rows.size() > 1) out.append(table(rows));
    }

    private String[] row(Backend b, String share, List<EndpointSlice> slices, Service svc, ServicePortSpec p) {
        Endpoint e = find(slices, b.ip());
        ObjectReference ref = e == null ? null : e.getTargetRef();
        String node = e == null || e.getNodeName() == null ? "-" : e.getNodeName();
        String pod = "- (no targetRef)";
        String container = "-";
        if (ref != null && "Pod".equals(ref.getKind())) {
            String ns = ref.getNamespace() == null ? svc.getMetadata().getNamespace() : ref.getNamespace();
            pod = ns + "/" + ref.getName();
            Pod po = client.pods().inNamespace(ns).withName(ref.getName()).get();
            if (po == null) {
                pod += " (gone)";
            } else {
                if (node.equals("-") && po.getSpec().getNodeName() != null) node = po.getSpec().getNodeName();
                container = container(po, b.port(), p.protocol(), svc, p);
            }
        } else if (ref != null) {
            pod = ref.getKind() + " " + ref.getName();
        }
        return new String[] {"    " + b, share, pod, node, container};
    }

    /** The container declaring the endpoint's port (or the named targetPort); the only container when none does. */
    static String container(Pod pod, int port, String protocol, Service svc, ServicePortSpec p) {
        String targetName = svc.getSpec().getPorts().stream()
                .filter(x -> Objects.requireNonNullElse(x.getName(), "").equals(p.portName()))
                .map(x -> x.getTargetPort() == null ? null : x.getTargetPort().getStrVal()).filter(Objects::nonNull).findFirst().orElse(null);
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getPorts() == null) continue;
            for (ContainerPort cp : c.getPorts()) {
                boolean proto = Objects.requireNonNullElse(cp.getProtocol(), "TCP").equals(protocol);
                if (proto && (Objects.equals(cp.getContainerPort(), port) || (targetName != null && targetName.equals(cp.getName())))) {
                    return c.getName();
                }
            }
        }
        List<Container> cs = pod.getSpec().getContainers();
        return cs.size() == 1 ? cs.get(0).getName() + " (declares no port " + port + ")" : "? (no container declares port " + port + ")";
    }

    private static Endpoint find(List<EndpointSlice> slices, String ip) {
        for (EndpointSlice s : slices) {
            if (s.getEndpoints() == null) continue;
            for (Endpoint e : s.getEndpoints()) if (e.getAddresses() != null && e.getAddresses().contains(ip)) return e;
        }
        return null;
    }

    private static String hostPort(String ip, int port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** Left-aligned columns two spaces apart; the last column is not padded. */
    static String table(List<String[]> rows) {
        int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[cols];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
