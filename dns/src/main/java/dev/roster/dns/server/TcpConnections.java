package dev.roster.dns.server;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TCP connections, one virtual thread each (RFC 7766): 2-byte length framing, any number of queries per
 * connection, answers written whole under a lock (a forwarded answer may overtake a cached one), closed after the idle
 * timeout, on a length no query has (under a header, or above {@link #MAX_QUERY}), or when the cap is reached.
 */
final class TcpConnections {
    private static final Logger log = LoggerFactory.getLogger(TcpConnections.class);
    /** A QUERY is one question and an OPT record: anything near this size is not one. */
    static final int MAX_QUERY = 4096;

    private final QueryHandler handler;
    private final DnsServer.Limits limits;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

    TcpConnections(QueryHandler handler, DnsServer.Limits limits) {
        this.handler = handler;
        this.limits = limits;
    }

    int open() {
        return open.size();
    }

    void serve(SocketChannel c) {
        if (open.size() >= limits.maxTcpConnections()) {
            log.debug("refusing a TCP connection: {} open", open.size());
            DnsServer.closeQuietly(c);
            return;
        }
        open.add(c);
        Thread.ofVirtual().name("roster-dns-tcp-conn").start(() -> {
            try {
                exchange(c);
            } catch (EOFException | SocketTimeoutException e) {
                // the client is done, or idle too long
            } catch (IOException e) {
                log.debug("TCP connection ended: {}", e.toString());
            } catch (RuntimeException e) {
                log.warn("TCP connection failed", e);
            } finally {
                open.remove(c);
                DnsServer.closeQuietly(c);
            }
        });
    }

    void closeAll() {
        for (SocketChannel c : open) DnsServer.closeQuietly(c);
    }

    private void exchange(SocketChannel c) throws IOException {
        Socket socket = c.socket();
        socket.setSoTimeout((int) Math.max(1, limits.tcpIdleTimeout().toMillis()));
        socket.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 4096));
        OutputStream out = socket.getOutputStream();
        byte[] query = new byte[MAX_QUERY];
        byte[] answer = new byte[QueryHandler.MAX_RESPONSE];
        while (true) {
            int length = in.readUnsignedShort();
            if (length < Responses.HEADER || length > MAX_QUERY) return; // not a query: hang up
            in.readFully(query, 0, length);
            int n = handler.handle(query, length, true, answer, later -> send(c, out, later, later.length));
            if (n > 0) send(c, out, answer, n);
        }
    }

    private static void send(SocketChannel c, OutputStream out, byte[] answer, int length) {
        byte[] framed = TcpFraming.frame(answer, length);
        synchronized (out) {
            try {
                out.write(framed);
            } catch (IOException e) {
                log.debug("TCP answer not sent: {}", e.toString());
                DnsServer.closeQuietly(c);
            }
        }
    }
}
