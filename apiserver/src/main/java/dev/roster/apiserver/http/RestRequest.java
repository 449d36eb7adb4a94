package dev.roster.apiserver.http;

import dev.roster.apiserver.auth.UserInfo;
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
 * @param user who sent it, as authentication found out; null when anonymous (or when nothing authenticates, as in
 *     plain-HTTP tests)
 */
public record RestRequest(
        String method,
        String path,
        Map<String, List<String>> query,
        Function<String, String> header,
        Supplier<byte[]> body,
        UserInfo user) {

    /** An anonymous request. */
    public RestRequest(String method, String path, Map<String, List<String>> query, Function<String, String> header,
            Supplier<byte[]> body) {
        this(method, path, query, header, body, null);
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Every value of a query parameter, in order (empty when absent). */
    public List<String> params(String name) {
        List<String> v = query.get(name);
        return v == null ? List.of() : v;
    }

    /**
     * A boolean query parameter as upstream's query conversion reads it: absent is false, "0" and
     * "false" in any letter case are false, and every other value, even an empty one, is true
     * (so the Python client's {@code watch=True} is a watch).
     */
    public boolean flag(String name) {
        return Boolean.TRUE.equals(optionalFlag(name));
    }

    /** The same for upstream's optional booleans ({@code sendInitialEvents}, {@code force}): null when absent. */
    public Boolean optionalFlag(String name) {
        String v = param(name);
        if (v == null) return null;
        return !(v.equals("0") || v.equalsIgnoreCase("false"));
    }

    /**
     * An integer query parameter read as Go's {@code strconv.ParseInt(v, 10, 64)} reads it (an
     * optional sign, ASCII digits): null when absent.
     *
     * @throws BadParameter with Go's message, which upstream returns as a 400
     */
    public Long int64(String name) {
        String v = param(name);
        if (v == null) return null;
        return GoInts.parseInt64(v);
    }

    /**
     * Whether the reply should be indented: upstream reads {@code pretty} with Go's
     * {@code strconv.ParseBool} and takes a value it cannot parse as false.
     */
    public boolean pretty() {
        String v = param("pretty");
        return v != null && GoInts.parseBool(v) == Boolean.TRUE;
    }

    /**
     * Whether this request may stay open for long, as upstream's long-running check sees it: a
     * watch, or the log, exec, attach, portforward or proxy subresources.
     */
    public boolean isLongRunning() {
        if (flag("watch") || path.contains("/watch/")) return true;
        String last = path.substring(path.lastIndexOf('/') + 1);
        return switch (last) {
            case "log", "exec", "attach", "portforward", "proxy" -> true;
            default -> false;
        };
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
