package dev.roster.apiserver.allocation;

import dev.roster.api.admission.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies ClusterIP and NodePort allocation to Services as they are created, changed and deleted,
 * with upstream's error messages. Every successful call returns an undo action so a write that
 * later fails (validation, storage conflict) gives its addresses and ports back.
 */
public final class ServiceAllocations {
    private final ServiceIpAllocator ips;
    private final NodePortAllocator ports;

    public ServiceAllocations(ServiceIpAllocator ips, NodePortAllocator ports) {
        this.ips = ips;
        this.ports = ports;
    }

    public ServiceIpAllocator ips() {
        return ips;
    }

    /** Errors, or an undo action for what was taken. */
    public record Result(List<FieldError> errors, Runnable undo) {
        static Result failed(List<FieldError> errors, List<Runnable> taken) {
            taken.forEach(Runnable::run);
            return new Result(errors, () -> {});
        }
    }

    /** Marks what a stored Service holds as taken (start-up). */
    public void restore(JsonNode svc) {
        String ip = svc.path("spec").path("clusterIP").asString("");
        if (ips.contains(ip)) ips.allocate(ip);
        for (JsonNode p : svc.path("spec").path("ports")) {
            int np = p.path("nodePort").asInt(0);
            if (np > 0 && ports.contains(np)) ports.allocate(np);
        }
        int hc = svc.path("spec").path("healthCheckNodePort").asInt(0);
        if (hc > 0 && ports.contains(hc)) ports.allocate(hc);
    }

    public Result onCreate(ObjectNode svc) {
        return allocate(svc, null);
    }

    /** Allocates what the new version needs beyond the old one; release of the rest is the caller's job after the write. */
    public Result onUpdate(ObjectNode svc, JsonNode old) {
        return allocate(svc, old);
    }

    /** Gives back what {@code old} held and {@code now} no longer does (after a successful update or a delete). */
    public void releaseDropped(JsonNode old, JsonNode now) {
        String oldIp = old.path("spec").path("clusterIP").asString("");
        String newIp = now == null ? "" : now.path("spec").path("clusterIP").asString("");
        if (!oldIp.equals(newIp)) ips.release(oldIp);
        Set<Integer> kept = now == null ? Set.of() : nodePorts(now);
        for (int p : nodePorts(old)) if (!kept.contains(p)) ports.release(p);
    }

    private static Set<Integer> nodePorts(JsonNode svc) {
        Set<Integer> s = new HashSet<>();
        for (JsonNode p : svc.path("spec").path("ports")) {
            int np = p.path("nodePort").asInt(0);
            if (np > 0) s.add(np);
        }
        int hc = svc.path("spec").path("healthCheckNodePort").asInt(0);
        if (hc > 0) s.add(hc);
        return s;
    }

    private Result allocate(ObjectNode svc, JsonNode old) {
        ObjectNode spec = svc.has("spec") && svc.get("spec").isObject() ? (ObjectNode) svc.get("spec") : svc.putObject("spec");
        String type = spec.path("type").asString("ClusterIP");
        List<Runnable> taken = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        if (type.equals("ExternalName")) {
            spec.remove("clusterIP");
            spec.remove("clusterIPs");
            spec.remove("ipFamilies");
            spec.remove("ipFamilyPolicy");
            clearNodePorts(spec);
            return new Result(List.of(), () -> {});
        }
        String requested = firstClusterIp(spec);
        String oldIp = old == null ? "" : old.path("spec").path("clusterIP").asString("");
        String ip;
        if (requested.isEmpty() && !oldIp.isEmpty() && !oldIp.equals("None")) {
            ip = oldIp;
        } else if (requested.isEmpty()) {
            ip = ips.allocateNext();
            String done = ip;
            taken.add(() -> ips.release(done));
        } else if (requested.equals("None") || requested.equals(oldIp)) {
            ip = requested;
        } else if (!ips.contains(requested)) {
            errors.add(FieldError.invalid("spec.clusterIPs[0]", quote(requested),
                    "provided IP is not in the valid range. The range of valid IPs is " + ips.cidr()));
            return Result.failed(errors, taken);
        } else if (!ips.allocate(requested)) {
            errors.add(FieldError.invalid("spec.clusterIPs[0]", quote(requested), "provided IP is already allocated"));
            return Result.failed(errors, taken);
        } else {
            ip = requested;
            taken.add(() -> ips.release(requested));
        }
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        if (!spec.has("ipFamilies")) spec.putArray("ipFamilies").add("IPv4");
        if (!spec.has("ipFamilyPolicy")) spec.put("ipFamilyPolicy", "SingleStack");

        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            allocateNodePorts(spec, old, errors, taken);
        } else {
            clearNodePorts(spec);
        }
        if (!errors.isEmpty()) return Result.failed(errors, taken);
        return new Result(List.of(), () -> taken.forEach(Runnable::run));
    }

    private void allocateNodePorts(ObjectNode spec, JsonNode old, List<FieldError> errors, List<Runnable> taken) {
        Set<Integer> held = old == null ? Set.of() : nodePorts(old);
        ArrayNode list = spec.withArray("ports");
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            ObjectNode p = (ObjectNode) list.get(i);
            int np = p.path("nodePort").asInt(0);
            if (np == 0) {
                np = reuseOldNodePort(old, p);
            }
            if (np == 0) {
                int got = ports.allocateNext();
                taken.add(() -> ports.release(got));
                p.put("nodePort", got);
            } else if (held.contains(np) || seen.contains(np)) {
                p.put("nodePort", np);
            } else if (!ports.contains(np)) {
                errors.add(FieldError.invalid("spec.ports[" + i + "].nodePort", Integer.toString(np),
                        "provided port is not in the valid range. The range of valid ports is " + ports.range()));
            } else if (!ports.allocate(np)) {
                errors.add(FieldError.invalid("spec.ports[" + i + "].nodePort", Integer.toString(np),
                        "provided port is already allocated"));
            } else {
                int got = np;
                taken.add(() -> ports.release(got));
            }
            seen.add(p.path("nodePort").asInt(np));
        }
    }

    /** A port kept across an update keeps its NodePort, as upstream does when the user omits it. */
    private static int reuseOldNodePort(JsonNode old, JsonNode port) {
        if (old == null) return 0;
        for (JsonNode p : old.path("spec").path("ports")) {
            if (p.path("port").asInt() == port.path("port").asInt()
                    && p.path("protocol").asString("TCP").equals(port.path("protocol").asString("TCP"))) {
                return p.path("nodePort").asInt(0);
            }
        }
        return 0;
    }

    private static void clearNodePorts(ObjectNode spec) {
        for (JsonNode p : spec.path("ports")) {
            if (p instanceof ObjectNode o) o.remove("nodePort");
        }
    }

    private static String firstClusterIp(JsonNode spec) {
        String ip = spec.path("clusterIP").asString("");
        if (ip.isEmpty()) {
            JsonNode ipsNode = spec.path("clusterIPs");
            if (ipsNode.isArray() && !ipsNode.isEmpty()) ip = ipsNode.get(0).asString("");
        }
        return ip;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
