package dev.roster.apiserver.http;

import dev.roster.api.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A reply: a complete body, or a stream (watch) that writes until the client goes away. */
public final class RestResponse {
    public static final String JSON = "application/json";

    /** Writes a streamed body; each flush of the stream reaches the client as one chunk. */
    @FunctionalInterface
    public interface StreamBody {
        void writeTo(OutputStream out) throws IOException;
    }

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final StreamBody stream;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private RestResponse(int status, String contentType, byte[] body, StreamBody stream) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.stream = stream;
    }

    public static RestResponse of(int status, String contentType, byte[] body) {
        return new RestResponse(status, contentType, body, null);
    }

    public static RestResponse json(int status, byte[] body) {
        return of(status, JSON, body);
    }

    public static RestResponse text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static RestResponse stream(String contentType, StreamBody body) {
        return new RestResponse(200, contentType, null, body);
    }

    public RestResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() { return status; }

    public String contentType() { return contentType; }

    public byte[] body() { return body; }

    public StreamBody streamBody() { return stream; }

    public boolean isStream() { return stream != null; }

    public Map<String, String> headers() { return headers; }

    /**
     * This reply indented, as upstream answers {@code ?pretty=true}: a complete JSON body is
     * re-written with two-space indentation and headers kept; streams and other types are left alone.
     */
    public RestResponse indented() {
        if (body == null || !contentType.startsWith(JSON) || body.length == 0) return this;
        RestResponse r = new RestResponse(status, contentType, PRETTY.writeValueAsBytes(Json.parse(body)), null);
        r.headers.putAll(headers);
        return r;
    }

    private static final tools.jackson.databind.ObjectWriter PRETTY = Json.MAPPER.writerWithDefaultPrettyPrinter();
}
