package dev.roster.proxy.userspace;

import java.net.InetSocketAddress;

/** Where the proxy listens: protocol, address and port, e.g. {@code TCP 127.96.0.10:80}. */
record ListenerKey(String protocol, String ip, int port) {
    InetSocketAddress address() {
        return new InetSocketAddress(ip, port);
    }

    @Override
    public String toString() {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port + "/" + protocol;
    }
}
