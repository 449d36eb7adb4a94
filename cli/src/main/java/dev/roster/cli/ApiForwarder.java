package dev.roster.cli;

import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.NsThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API server as pods in the netns dataplane reach it: a TCP listener inside the cluster network's switch namespace
 * (the {@code kubernetes} Service's endpoint, upstream's advertise address) that splices each connection to the
 * server on the host's loopback. TLS passes through untouched, so clients verify the server's own certificate.
 */
final class ApiForwarder implements AutoCloseable {
    private final ServerSocketChannel listener;
    private final InetSocketAddress target;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private ApiForwarder(ServerSocketChannel listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
        this.acceptor = Thread.ofPlatform().daemon().name("api-forwarder").start(this::acceptLoop);
    }

    /** Listens on {@code ip:port} inside {@code ns} and forwards to {@code target} in the JVM's own namespace. */
    static ApiForwarder start(NetNs ns, String ip, int port, InetSocketAddress target) {
        try {
            ServerSocketChannel ch = NsThread.call(ns, () -> {
                ServerSocketChannel s = ServerSocketChannel.open();
                s.bind(new InetSocketAddress(ip, port), 128);
                return s;
            });
            return new ApiForwarder(ch, target);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + ip + ":" + port + " in netns " + ns.name() + ": " + e.getMessage(), e);
        }
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            try {
                SocketChannel client = listener.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // one failed accept (e.g. out of descriptors for a moment) must not end the forwarder
            }
        }
    }

    private void serve(SocketChannel client) {
        open.add(client);
        try (client; SocketChannel server = SocketChannel.open(target)) {
            open.add(server);
            client.socket().setTcpNoDelay(true);
            server.socket().setTcpNoDelay(true);
            Thread back = Thread.ofVirtual().start(() -> pump(server, client));
            pump(client, server);
            back.join();
            open.remove(server);
        } catch (IOException e) {
            // the API server went away or refused: the client sees its connection close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(client);
        }
    }

    /** Copies until {@code from} ends, then half-closes {@code to} so the other direction can finish. */
    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) to.write(buf);
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
                from.close();
            } catch (IOException ignored) {
                // both ends are going anyway
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
            for (SocketChannel c : open) c.close();
            acceptor.join(2000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
