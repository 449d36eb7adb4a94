package dev.roster.node.process;

import dev.roster.node.probe.Dialer;
import java.io.IOException;

/**
 * Where the pods of a process-runtime node have their network. {@link #loopback()}: pod IPs are loopback addresses
 * (127.244.N.x) in the host's own namespace, as roster runs without root. The netns dataplane ({@link
 * NetnsNetworking}): every pod is a network namespace wired into its node's namespace.
 */
public interface PodNetworking {
    /**
     * Gives the pod its network before its containers start; idempotent per pod. Throws when it cannot, and the
     * pod's containers wait (the agent syncs the pod again).
     */
    PodNet attach(String podUid, String podIp) throws IOException;

    /** Takes the pod's network away once nothing of the pod runs any more; harmless for an unknown pod. */
    void detach(String podUid);

    /** Where HTTP and TCP probes connect from: the node's side, as the kubelet's. */
    Dialer probes();

    /** Today's loopback mode: nothing to set up, everything in the host's namespace. */
    static PodNetworking loopback() {
        return new PodNetworking() {
            @Override
            public PodNet attach(String podUid, String podIp) { return PodNet.HOST; }

            @Override
            public void detach(String podUid) {}

            @Override
            public Dialer probes() { return Dialer.HOST; }
        };
    }
}
