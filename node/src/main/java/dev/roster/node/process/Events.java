package dev.roster.node.process;

import dev.roster.events.EventRecorder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The process runtime's events about one container of a pod (probe failures, back-off, kills), recorded through the
 * node agent's {@code kubelet} recorder so they are correlated and written like the agent's own. Until the agent hands
 * its recorder over ({@link dev.roster.node.PodRuntime#useEvents}) they are dropped, as the agent's are without a sink.
 */
public final class Events {
    private volatile EventRecorder recorder = EventRecorder.discarding("kubelet");

    void use(EventRecorder recorder) { this.recorder = recorder; }

    public void normal(Pod pod, String fieldPath, String reason, String message) { write(pod, fieldPath, EventRecorder.NORMAL, reason, message); }

    public void warning(Pod pod, String fieldPath, String reason, String message) { write(pod, fieldPath, EventRecorder.WARNING, reason, message); }

    /** A Warning about the node itself (reference uid = node name, as the kubelet's). */
    public void nodeWarning(String nodeName, String reason, String message) {
        recorder.record(new ObjectReferenceBuilder().withKind("Node").withApiVersion("v1").withName(nodeName).withUid(nodeName)
                .build(), EventRecorder.WARNING, reason, message);
    }

    private void write(Pod pod, String fieldPath, String type, String reason, String message) {
        ObjectReference ref = EventRecorder.ref(pod);
        ref.setFieldPath(fieldPath);
        recorder.record(ref, type, reason, message);
    }
}
