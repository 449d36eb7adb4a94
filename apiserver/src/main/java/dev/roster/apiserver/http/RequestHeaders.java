package dev.roster.apiserver.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A request's headers as {@link RestRequest#header} looks them up (first value), with every value and every name
 * still at hand for the few headers that repeat or come as a family (impersonation's {@code Impersonate-Group} and
 * {@code Impersonate-Extra-*}).
 */
public final class RequestHeaders implements Function<String, String> {
    private final ServerRequestHeaders headers;

    RequestHeaders(ServerRequestHeaders headers) {
        this.headers = headers;
    }

    @Override
    public String apply(String name) {
        return headers.first(HeaderNames.create(name)).orElse(null);
    }

    /** Every value of a header, in order; outside a real HTTP request, the one value the lookup gives. */
    public static List<String> all(RestRequest req, String name) {
        if (req.header() instanceof RequestHeaders h) return h.headers.all(HeaderNames.create(name), List::of);
        String v = req.header(name);
        return v == null ? List.of() : List.of(v);
    }

    /** The names of the headers starting with {@code prefix} (any letter case), as the client sent them. */
    public static List<String> namesStartingWith(RestRequest req, String prefix) {
        List<String> out = new ArrayList<>();
        if (req.header() instanceof RequestHeaders h) {
            for (Header header : h.headers) {
                String n = header.name();
                if (n.regionMatches(true, 0, prefix, 0, prefix.length()) && !out.contains(n)) out.add(n);
            }
        }
        return out;
    }
}
