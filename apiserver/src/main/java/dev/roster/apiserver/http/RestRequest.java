package dev.roster.apiserver.http;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An HTTP request as the REST layer sees it, independent of the web server, so request handling
 * can be tested without sockets.
 *
 * @param query decoded query parameters, each with all its values
 * @param header looks up a request header case-insensitively, null when absent
 * @param body reads the request body (empty array when none)
 */
public record RestRequest(
        String method,
        String path,
        Map<String, List<String>> query,
        Function<String, String> header,
        Supplier<byte[]> body) {

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** A boolean query parameter as upstream parses it ("true", "1"). */
    public boolean flag(String name) {
        String v = param(name);
        return v != null && (v.equals("true") || v.equals("1") || v.equalsIgnoreCase("t"));
    }

    public String header(String name) {
        return header.apply(name);
    }

    public String contentType() {
        String ct = header("Content-Type");
        return ct == null ? "" : ct;
    }

    public String accept() {
        String a = header("Accept");
        return a == null ? "" : a;
    }
}
