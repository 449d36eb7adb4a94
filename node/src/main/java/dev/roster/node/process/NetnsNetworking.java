package dev.roster.node.process;

import dev.roster.node.probe.Dialer;
import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.NodeNetwork;
import dev.roster.runtime.net.NsThread;
import dev.roster.runtime.net.PodNetwork;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The netns dataplane's pod networking: every pod is a network namespace ({@code roster-pod-<uid prefix>}) wired into
 * its node's namespace by {@link PodNetwork}; its commands run under {@code ip netns exec}, the built-in workload's
 * sockets are opened there through {@link NsThread}, and probes connect from the node's namespace, as a kubelet's
 * leave its node.
 */
public final class NetnsNetworking implements PodNetworking {
    private final NodeNetwork node;

    public NetnsNetworking(NodeNetwork node) {
        this.node = node;
    }

    @Override
    public PodNet attach(String podUid, String podIp) throws IOException {
        try {
            return new InNamespace(PodNetwork.attach(node, podUid, podIp).podNs());
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void detach(String podUid) {
        PodNetwork.detach(node, podUid);
    }

    @Override
    public Dialer probes() {
        return () -> call(node.ns(), SocketChannel::open);
    }

    /** The namespace's name a pod gets (for tests and {@code roster exec}). */
    public String namespaceOf(String podUid) { return PodNetwork.namespaceName(node, podUid); }

    /** A pod's namespace, entered by its commands and by the workload's sockets. */
    private record InNamespace(NetNs ns) implements PodNet {
        @Override
        public List<String> enter(List<String> command) {
            List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
            out.addAll(command);
            return out;
        }

        @Override
        public <T> T open(Callable<T> open) throws IOException { return call(ns, open); }
    }

    /** {@link NsThread#call} with the failures a socket's opener may have. */
    private static <T> T call(NetNs ns, Callable<T> task) throws IOException {
        try {
            return NsThread.call(ns, task);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted opening a socket in " + ns);
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
