package dev.roster.proxy.userspace;

import java.net.InetSocketAddress;

/**
 * One endpoint of a Service port as an EndpointSlice describes it, with the three conditions
 * upstream's proxies look at.
 */
public record Backend(String ip, int port, boolean ready, boolean serving, boolean terminating) {
    public InetSocketAddress address() {
        return new InetSocketAddress(ip, port);
    }

    @Override
    public String toString() {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
