package dev.roster.bench.jmh;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.api.apply.FieldManager;
import dev.roster.bench.Pods;
import java.time.Clock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import tools.jackson.databind.node.ObjectNode;

/**
 * What managedFields add to a write: the field set of a create (the whole object compared with
 * its kind's empty skeleton, then encoded), and of a status update that changes one field of a
 * pod that already has entries (decode, compare, encode). Beside them, one serialisation of the
 * same pod ({@code CachedObjectBench.serialise}) as the yardstick: every create serialises twice.
 */
public class ManagedFieldsBench extends MicroBench {
    static final ResourceRegistry REGISTRY = ResourceRegistry.builtin();
    final ResourceType pods = REGISTRY.find("", "v1", "pods").orElseThrow();
    final FieldManager fm = new FieldManager(Clock.systemUTC());
    ObjectNode pod;
    ObjectNode live;
    ObjectNode statusChange;

    @Setup
    public void setUp() {
        pod = (ObjectNode) Json.parse(Pods.storedPod(1));
        live = pod.deepCopy();
        fm.update(pods, null, null, live, "kubectl-create");
        statusChange = live.deepCopy();
        statusChange.withObject("status").put("phase", "Running");
    }

    /** A create's bookkeeping: a copy of the pod (the server changes the body in place) and its field set. */
    @Benchmark
    public ObjectNode createEntry() {
        ObjectNode o = pod.deepCopy();
        fm.update(pods, null, null, o, "kubectl-create");
        return o;
    }

    /** The copy alone, to subtract from {@link #createEntry}. */
    @Benchmark
    public ObjectNode copyOnly() {
        return pod.deepCopy();
    }

    /** A status write changing one field on a pod with an entry already. */
    @Benchmark
    public ObjectNode statusUpdateEntry() {
        ObjectNode o = statusChange.deepCopy();
        fm.update(pods, "status", live, o, "kubelet");
        return o;
    }
}
