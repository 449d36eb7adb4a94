package dev.roster.apiserver.http;

import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who a request counts against for the per-client limits. Until requests are authenticated this
 * is the remote address; with authentication it should become the user name, so that one user
 * cannot spread over many connections and one address's users are not lumped together.
 */
@FunctionalInterface
public interface ClientKey {
    String of(ServerRequest request);

    /** The remote IP address, without the port (one client opens many connections). */
    ClientKey REMOTE_ADDRESS = request -> {
        SocketAddress a = request.remotePeer().address();
        return a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress() : String.valueOf(a);
    };
}
