package dev.roster.bench;

import dev.roster.storage.Storage;
import dev.roster.storage.StorageFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;

/**
 * What one create costs in the store alone: sequential creates of ConfigMap-sized values (about
 * 600 bytes, as the API server stores a small ConfigMap with its managedFields), with one watch
 * open on the whole key space as the API server's watch cache keeps one. A diagnostic beside
 * {@link InProcessCreates} and {@link RoundTrip}, see docs/benchmarks.md.
 *
 * <pre>java -cp ... dev.roster.bench.StorageCreates [sqlite|memory] [n] [rounds]</pre>
 */
public final class StorageCreates {
    private StorageCreates() {}

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : StorageFactory.SQLITE;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String value = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"NAME\",\"labels\":{\"app\":\"bench\","
                + "\"shard\":\"s11\"},\"namespace\":\"rt-k3en\",\"uid\":\"b80be818-a462-4797-a217-745e63a956eb\","
                + "\"creationTimestamp\":\"2026-11-27T08:40:56Z\",\"managedFields\":[{\"manager\":\"\",\"operation\":\"Update\","
                + "\"apiVersion\":\"v1\",\"time\":\"2026-11-27T08:40:56Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":"
                + "{\".\":{},\"f:config.yaml\":{},\"f:greeting\":{},\"f:index\":{}},\"f:metadata\":{\"f:labels\":{\".\":{},"
                + "\"f:app\":{},\"f:shard\":{}}}}}]},\"data\":{\"index\":\"299\",\"greeting\":\"hello from the roster benchmark\","
                + "\"config.yaml\":\"server:\\n  port: 8080\\n  threads: 4\\n\"}}";
        try (Storage storage = StorageFactory.open(kind, Files.createTempDirectory("roster-storage-creates"))) {
            var watch = storage.watch("/registry/", storage.currentRevision(), new dev.roster.storage.WatchListener() {
                @Override public void onEvent(dev.roster.storage.WatchEvent event) { }
                @Override public void onError(Throwable error) { }
            });
            for (int round = 0; round < rounds; round++) {
                long[] lat = new long[n];
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    String name = "create-" + round + "-" + i;
                    byte[] v = value.replace("NAME", name).getBytes(StandardCharsets.UTF_8);
                    long s = System.nanoTime();
                    storage.create("/registry/core/configmaps/rt-k3en/" + name, v);
                    lat[i] = System.nanoTime() - s;
                }
                double mean = (System.nanoTime() - t0) / 1e3 / n;
                Arrays.sort(lat);
                System.out.printf(Locale.ROOT, "%s round %d: mean %.1f µs (incl. value build), p50 %.1f µs, p90 %.1f µs, p99 %.1f µs, max %.0f µs%n",
                        kind, round + 1, mean, TcpPeers.percentileMicros(lat, .5), TcpPeers.percentileMicros(lat, .9),
                        TcpPeers.percentileMicros(lat, .99), lat[n - 1] / 1e3);
            }
            watch.close();
        }
        System.exit(0);
    }
}
