package dev.roster.node.probe;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Opens the (unconnected) socket an HTTP or TCP probe connects with. A socket belongs to the network namespace it
 * was created in, so this is where the node decides where its probes come from: the JVM's own namespace on loopback,
 * the node's namespace in the netns dataplane (as the kubelet's probes leave from its node). Connecting and I/O then
 * happen on the calling thread.
 */
@FunctionalInterface
public interface Dialer {
    /** The JVM's own network namespace. */
    Dialer HOST = SocketChannel::open;

    SocketChannel open() throws IOException;
}
