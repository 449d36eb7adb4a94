package dev.roster.apiserver.http;

import io.helidon.http.http2.Http2Stream;
import io.helidon.http.http2.Http2StreamState;
import io.helidon.webserver.http.ServerResponse;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;

/**
 * A streamed reply's output that fails once the client has gone. Over HTTP/1.1 the socket does that by itself; an
 * HTTP/2 client that cancels a watch resets only its stream (client-go and Go's net/http send RST_STREAM and keep
 * the connection), and Helidon 4.5 goes on accepting writes for a reset stream, so without this a cancelled watch
 * would hold its place in the per-client limit, and its thread, until the whole connection closed.
 */
final class ResetAwareStream extends FilterOutputStream {
    private final BooleanSupplier reset;

    private ResetAwareStream(OutputStream out, BooleanSupplier reset) {
        super(out);
        this.reset = reset;
    }

    /** {@code out} as it is for HTTP/1.1, or checked before each write and flush for an HTTP/2 stream. */
    static OutputStream of(OutputStream out, ServerResponse res) {
        Http2Stream stream = http2Stream(res);
        if (stream == null) return out;
        return new ResetAwareStream(out, () -> stream.streamState() == Http2StreamState.CLOSED);
    }

    /** The HTTP/2 stream behind a response: Helidon keeps it in a private field and offers no public call. */
    private static Http2Stream http2Stream(ServerResponse res) {
        try {
            java.lang.reflect.Field f = res.getClass().getDeclaredField("stream");
            f.setAccessible(true);
            return f.get(res) instanceof Http2Stream s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private void check() throws IOException {
        if (reset.getAsBoolean()) throw new IOException("the client reset its HTTP/2 stream");
    }

    @Override
    public void write(int b) throws IOException {
        check();
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        check();
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        check();
        out.flush();
    }
}
