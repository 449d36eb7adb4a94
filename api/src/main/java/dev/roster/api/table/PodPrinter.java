package dev.roster.api.table;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * Pods: READY counts, the one-word STATUS and RESTARTS people read first in {@code kubectl get
 * pods}. The status is the most telling reason found, in upstream's order of precedence: the pod's
 * own reason or phase, then the first init container that has not finished, then the regular
 * containers from last to first (so the first container's reason wins), then deletion.
 */
final class PodPrinter {

    /** The pod reason the node lifecycle controller sets when it loses a node. */
    static final String NODE_LOST = "NodeLost";

    static final ResourcePrinter PODS = ResourcePrinter.of(
            List.of(
                    Column.NAME,
                    Column.text("Ready", "Ready containers out of all containers."),
                    Column.text("Status", "Summary of the pod's phase and container states."),
                    Column.text("Restarts", "Container restarts, and how long ago the last one was."),
                    Column.AGE,
                    Column.wide("IP", "First IP address of the pod."),
                    Column.wide("Node", "Node the pod is bound to."),
                    Column.wide("Nominated Node", "Node the scheduler nominated after preempting others."),
                    Column.wide("Readiness Gates", "Readiness gates met out of all declared.")),
            PodPrinter::cells);

    private PodPrinter() {}

    private static void cells(JsonNode pod, Instant now, ArrayNode out) {
        Summary s = summarize(pod);
        String restarts = s.restarts != 0 && s.lastRestart != null
                ? s.restarts + " (" + HumanDuration.since(s.lastRestart, now) + " ago)"
                : Long.toString(s.restarts);
        out.add(Fields.name(pod));
        out.add(s.ready + "/" + s.total);
        out.add(s.reason);
        out.add(restarts);
        out.add(Fields.age(pod, now));
        out.add(podIp(pod));
        out.add(Fields.orElse(Fields.str(pod, "spec", "nodeName"), Selectors.NONE));
        out.add(Fields.orElse(Fields.str(pod, "status", "nominatedNodeName"), Selectors.NONE));
        out.add(readinessGates(pod));
    }

    /** What the Ready, Status and Restarts columns are computed from. */
    static final class Summary {
        int ready;
        int total;
        String reason;
        long restarts;
        Instant lastRestart;
    }

    static Summary summarize(JsonNode pod) {
        JsonNode status = Fields.at(pod, "status");
        Summary s = new Summary();
        String phase = Fields.str(status, "phase");
        s.reason = Fields.orElse(Fields.str(status, "reason"), phase);
        for (JsonNode c : Fields.list(status, "conditions")) {
            if (Fields.str(c, "type").equals("PodScheduled") && Fields.str(c, "reason").equals("SchedulingGated")) {
                s.reason = "SchedulingGated";
            }
        }
        s.total = Fields.list(pod, "spec", "containers").size();
        List<JsonNode> initSpecs = Fields.list(pod, "spec", "initContainers");
        Map<String, JsonNode> initByName = new HashMap<>();
        for (JsonNode c : initSpecs) {
            initByName.put(Fields.str(c, "name"), c);
            if (isSidecar(c)) s.total++;
        }

        boolean initializing = false;
        long sidecarRestarts = 0;
        Instant lastSidecarRestart = null;
        List<JsonNode> initStatuses = Fields.list(status, "initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode c = initStatuses.get(i);
            long count = Fields.num(c, "restartCount");
            Instant finished = lastFinished(c);
            s.restarts += count;
            s.lastRestart = later(s.lastRestart, finished);
            boolean sidecar = isSidecar(initByName.get(Fields.str(c, "name")));
            if (sidecar) {
                sidecarRestarts += count;
                lastSidecarRestart = later(lastSidecarRestart, finished);
            }
            JsonNode terminated = Fields.at(c, "state", "terminated");
            JsonNode waiting = Fields.at(c, "state", "waiting");
            if (terminated != null && Fields.num(terminated, "exitCode") == 0) continue;
            if (sidecar && Fields.isTrue(c, "started")) {
                if (Fields.isTrue(c, "ready")) s.ready++;
                continue;
            }
            if (terminated != null) {
                s.reason = "Init:" + terminatedReason(terminated);
            } else if (waiting != null && !Fields.str(waiting, "reason").isEmpty()
                    && !Fields.str(waiting, "reason").equals("PodInitializing")) {
                s.reason = "Init:" + Fields.str(waiting, "reason");
            } else {
                s.reason = "Init:" + i + "/" + initSpecs.size();
            }
            initializing = true;
            break;
        }

        if (!initializing || hasCondition(status, "Initialized")) {
            s.restarts = sidecarRestarts;
            s.lastRestart = lastSidecarRestart;
            boolean hasRunning = false;
            List<JsonNode> statuses = Fields.list(status, "containerStatuses");
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode c = statuses.get(i);
                s.restarts += Fields.num(c, "restartCount");
                s.lastRestart = later(s.lastRestart, lastFinished(c));
                JsonNode waiting = Fields.at(c, "state", "waiting");
                JsonNode terminated = Fields.at(c, "state", "terminated");
                if (waiting != null && !Fields.str(waiting, "reason").isEmpty()) {
                    s.reason = Fields.str(waiting, "reason");
                } else if (terminated != null) {
                    s.reason = terminatedReason(terminated);
                } else if (Fields.isTrue(c, "ready") && Fields.at(c, "state", "running") != null) {
                    hasRunning = true;
                    s.ready++;
                }
            }
            // A finished sidecar-like container must not hide that others still serve.
            if (s.reason.equals("Completed") && hasRunning) {
                s.reason = hasCondition(status, "Ready") ? "Running" : "NotReady";
            }
        }

        if (Fields.at(pod, "metadata", "deletionTimestamp") != null) {
            if (Fields.str(status, "reason").equals(NODE_LOST)) {
                s.reason = "Unknown";
            } else if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
                s.reason = "Terminating";
            }
        }
        return s;
    }

    /** The terminated reason, or "Signal:N" / "ExitCode:N" when the runtime gave none. */
    private static String terminatedReason(JsonNode terminated) {
        String reason = Fields.str(terminated, "reason");
        if (!reason.isEmpty()) return reason;
        long signal = Fields.num(terminated, "signal");
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + Fields.num(terminated, "exitCode");
    }

    /** Sidecars are init containers with restartPolicy Always: they keep running beside the app. */
    private static boolean isSidecar(JsonNode initContainerSpec) {
        return initContainerSpec != null && Fields.str(initContainerSpec, "restartPolicy").equals("Always");
    }

    private static Instant lastFinished(JsonNode containerStatus) {
        return Fields.time(containerStatus, "lastState", "terminated", "finishedAt");
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return b.isAfter(a) ? b : a;
    }

    private static boolean hasCondition(JsonNode status, String type) {
        for (JsonNode c : Fields.list(status, "conditions")) {
            if (Fields.str(c, "type").equals(type) && Fields.str(c, "status").equals("True")) return true;
        }
        return false;
    }

    private static String podIp(JsonNode pod) {
        List<JsonNode> ips = Fields.list(pod, "status", "podIPs");
        // podIPs is what upstream reads; podIP alone covers objects written before it was filled in.
        String ip = ips.isEmpty() ? Fields.str(pod, "status", "podIP") : Fields.str(ips.get(0), "ip");
        return Fields.orElse(ip, Selectors.NONE);
    }

    private static String readinessGates(JsonNode pod) {
        List<JsonNode> gates = Fields.list(pod, "spec", "readinessGates");
        if (gates.isEmpty()) return Selectors.NONE;
        int met = 0;
        for (JsonNode gate : gates) {
            String type = Fields.str(gate, "conditionType");
            for (JsonNode c : Fields.list(pod, "status", "conditions")) {
                if (Fields.str(c, "type").equals(type)) {
                    if (Fields.str(c, "status").equals("True")) met++;
                    break;
                }
            }
        }
        return met + "/" + gates.size();
    }
}
