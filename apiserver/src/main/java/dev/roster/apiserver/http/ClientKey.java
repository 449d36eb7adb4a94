package dev.roster.apiserver.http;

import dev.roster.apiserver.auth.UserInfo;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who a request counts against for the per-client limits: the authenticated user, so that one user cannot spread
 * over many connections or addresses and the users behind one address (every roster component runs on 127.0.0.1)
 * each get their own share; an anonymous request counts against its remote address.
 */
@FunctionalInterface
public interface ClientKey {
    String of(ServerRequest request, UserInfo user);

    ClientKey USER_OR_ADDRESS = (request, user) -> of(user, request.remotePeer().address());

    /** "user:NAME" for an authenticated user, else "address:IP" (the IP without the port: one client opens many connections). */
    static String of(UserInfo user, SocketAddress remote) {
        if (user != null) return "user:" + user.name();
        return "address:" + (remote instanceof InetSocketAddress i && i.getAddress() != null
                ? i.getAddress().getHostAddress() : String.valueOf(remote));
    }
}
