package dev.roster.bench.jmh;

import dev.roster.apiserver.cache.CachedObject;
import dev.roster.bench.Pods;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Assembling a LIST body from cached object JSON, as {@code ListWatch.listBytes} does (into a
 * ByteArrayOutputStream, then {@code toByteArray()}: the whole body twice in memory) against
 * streaming the same bytes through a 64 KiB buffer to the response (here: a sink).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class ListAssemblyBench {
    @Param({"10000"})
    int pods;

    List<CachedObject> items;
    static final byte[] HEAD = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"123\"},\"items\":[".getBytes(StandardCharsets.UTF_8);
    static final byte[] TAIL = "]}".getBytes(StandardCharsets.UTF_8);

    @Setup
    public void setUp() {
        items = new ArrayList<>(pods);
        for (int i = 0; i < pods; i++) {
            CachedObject o = CachedObject.fromStored("/registry/core/pods/bench/web-" + i,
                    Pods.storedPod(i).getBytes(StandardCharsets.UTF_8), 100 + i);
            o.json();
            items.add(o);
        }
    }

    /** As ListWatch.listBytes: one big array, copied once more by toByteArray. */
    @Benchmark
    public byte[] assembleArray() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + items.size() * 1024);
        writeList(out);
        return out.toByteArray();
    }

    /** The same bytes streamed through a 64 KiB buffer: no body-sized allocation. */
    @Benchmark
    public void stream(Blackhole bh) throws IOException {
        OutputStream sink = new OutputStream() {
            @Override public void write(int b) { bh.consume(b); }
            @Override public void write(byte[] b, int off, int len) { bh.consume(b); }
        };
        try (BufferedOutputStream out = new BufferedOutputStream(sink, 64 * 1024)) {
            writeList(out);
        }
    }

    /** The list's bytes: head, the items' cached JSON comma-separated, tail. */
    private void writeList(OutputStream out) throws IOException {
        out.write(HEAD);
        boolean first = true;
        for (CachedObject o : items) {
            if (!first) out.write(',');
            first = false;
            out.write(o.json());
        }
        out.write(TAIL);
    }
}
