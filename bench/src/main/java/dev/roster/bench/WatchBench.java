package dev.roster.bench;

import dev.roster.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watch fan-out: W watchers on one namespace's ConfigMaps, a writer creating N objects with 8
 * clients; events/s = W × N / (first create sent → last watcher has seen all N).
 *
 * <p>roster is watched as Kubernetes clients do, over a chunked HTTP response
 * ({@code ?watch=true&resourceVersion=rv}). fabric8's mock server only implements watches over
 * WebSocket, so its watchers use the JDK's {@link WebSocket} on the same URL: same client
 * library, different transport, said so in the report.
 */
final class WatchBench extends PairScenario {
    private static final long DEADLINE_MS = 60_000;

    WatchBench(List<Api> servers, Report report, Settings settings) {
        super(servers, report, settings);
    }

    /** A watcher: counts events and remembers when it had all it waits for. */
    private static final class Watcher {
        final AtomicInteger events = new AtomicInteger();
        final AtomicLong doneAt = new AtomicLong();
        volatile AutoCloseable close = () -> {};

        void seen(int expected) {
            if (events.incrementAndGet() == expected) doneAt.set(System.nanoTime());
        }
    }

    void run() {
        String sec = "Watch fan-out (ConfigMap ADDED events, writer: 8 clients)";
        for (Api a : servers) { // warm-up: JIT of the write and watch paths on both sides
            a.createNamespace("bench-watch-warm");
            once(a, "bench-watch-warm", 10, s.warmup(), a == servers.get(0));
        }
        int[][] shapes = {{1, s.watchOneObjects()}, {s.watchers(), s.watchManyObjects()}};
        for (int[] shape : shapes) {
            int w = shape[0], n = shape[1];
            double[] rate = new double[2];
            double[] lag = new double[2];
            double[] writes = new double[2];
            for (int k = 0; k < 2; k++) {
                Api a = servers.get(k);
                String ns = "bench-watch-" + w;
                a.createNamespace(ns);
                double[] r = once(a, ns, w, n, k == 0);
                rate[k] = r[0];
                lag[k] = r[1];
                writes[k] = r[2];
            }
            String what = "events/s delivered, " + w + (w == 1 ? " watcher × " : " watchers × ") + n + " objects";
            report.add(sec, servers.get(1).name + " (WebSocket watch)", new Report.Row(what, rate[0], rate[1], "events/s", true, "",
                    String.format(Locale.ROOT, "writer %.0f / %.0f creates/s; last event %.0f / %.0f ms after last create",
                            writes[0], writes[1], lag[0], lag[1])));
        }
    }

    /** Returns {events/s, ms from the last create to the last delivery, creates/s}. */
    private double[] once(Api a, String ns, int watchers, int n, boolean chunked) {
        String path = CrudBench.path(ns);
        String rv = Json.text(Json.parse(a.get(path)), "metadata", "resourceVersion");
        String query = "?watch=true" + (rv == null || rv.isEmpty() ? "" : "&resourceVersion=" + rv);
        List<Watcher> ws = new ArrayList<>();
        List<CompletableFuture<?>> opened = new ArrayList<>();
        for (int i = 0; i < watchers; i++) {
            Watcher w = new Watcher();
            ws.add(w);
            opened.add(chunked ? openChunked(a, path + query, w, n) : openWebSocket(a, path + query, w, n));
        }
        try {
            CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            Thread.sleep(500); // let the server register every watcher before the first write
            long t0 = System.nanoTime();
            Load.Result writes = Load.run(8, n, i -> a.post(path, Api.configMap("w-" + i, i)));
            long lastWrite = System.nanoTime();
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (System.currentTimeMillis() < deadline && ws.stream().anyMatch(w -> w.doneAt.get() == 0)) {
                Thread.sleep(2);
            }
            long missing = ws.stream().filter(w -> w.doneAt.get() == 0).count();
            if (missing > 0) {
                long got = ws.stream().mapToLong(w -> Math.min(w.events.get(), n)).sum();
                report.note(a.name + ": " + missing + " of " + watchers + " watchers did not see all " + n
                        + " events within " + DEADLINE_MS / 1000 + " s (" + got + " of " + (long) watchers * n + " delivered)");
                return new double[] {Double.NaN, Double.NaN, writes.perSecond()};
            }
            long end = ws.stream().mapToLong(w -> w.doneAt.get()).max().orElse(t0);
            return new double[] {(double) watchers * n / ((end - t0) / 1e9), Math.max(0, end - lastWrite) / 1e6, writes.perSecond()};
        } catch (Exception e) {
            report.note(a.name + ": watch with " + watchers + " watchers failed: " + e);
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        } finally {
            for (Watcher w : ws) {
                try {
                    w.close.close();
                } catch (Exception ignored) {
                    // closing
                }
            }
        }
    }

    /** Newline-delimited JSON events over a chunked response, read on a virtual thread. */
    private static CompletableFuture<?> openChunked(Api a, String pathAndQuery, Watcher w, int n) {
        HttpRequest req = HttpRequest.newBuilder(a.uri(pathAndQuery)).header("Accept", "application/json").GET().build();
        CompletableFuture<HttpResponse<InputStream>> f = a.http.sendAsync(req, HttpResponse.BodyHandlers.ofInputStream());
        // the server registers the watch before it answers, and replays from resourceVersion anyway:
        // no need to wait for the headers (which may only come with the first event)
        f.thenAccept(r -> {
            InputStream in = r.body();
            w.close = in::close;
            Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[64 * 1024];
                try (in) {
                    int len;
                    while (w.events.get() < n && (len = in.read(buf)) >= 0) {
                        for (int i = 0; i < len; i++) if (buf[i] == '\n') w.seen(n);
                    }
                } catch (IOException e) {
                    // closed by us at the end
                }
            });
        });
        return CompletableFuture.completedFuture(null);
    }

    /** One event per text message (possibly in fragments), as fabric8's client reads the mock's watch. */
    private static CompletableFuture<?> openWebSocket(Api a, String pathAndQuery, Watcher w, int n) {
        URI uri = URI.create(a.base.replace("http://", "ws://") + pathAndQuery);
        return a.http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                if (last) w.seen(n);
                ws.request(1);
                return null;
            }
        }).thenAccept(ws -> w.close = () -> ws.abort());
    }
}
