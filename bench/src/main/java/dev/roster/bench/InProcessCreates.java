package dev.roster.bench;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

/**
 * What one create costs inside the server, without HTTP: requests handed straight to the API
 * server's router, on the memory and the SQLite store. Set beside the HTTP scenario it shows how
 * much of a request's time is the server and how much the round trip.
 * Run: {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) dev.roster.bench.InProcessCreates}
 */
public final class InProcessCreates {
    private InProcessCreates() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        for (String kind : new String[] {StorageFactory.MEMORY, StorageFactory.SQLITE}) {
            try (Storage storage = StorageFactory.open(kind, Files.createTempDirectory("roster-inproc"));
                 ApiServer api = new ApiServer(ApiServerConfig.loopback(0), storage).start()) {
                for (int round = 0; round < 3; round++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        byte[] body = ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + round + "-" + i
                                + "\",\"labels\":{\"app\":\"x\"}},\"data\":{\"k\":\"" + "v".repeat(200) + "\"}}")
                                .getBytes(StandardCharsets.UTF_8);
                        RestResponse r = api.handle(new RestRequest("POST", "/api/v1/namespaces/default/configmaps", Map.of(),
                                h -> h.equalsIgnoreCase("Content-Type") ? "application/json" : null, () -> body));
                        if (r.status() != 201) throw new IllegalStateException(new String(r.body(), StandardCharsets.UTF_8));
                    }
                    System.out.printf("%-6s round %d: %.1f µs per create%n", kind, round + 1, (System.nanoTime() - t0) / 1e3 / n);
                }
            }
        }
        System.exit(0);
    }
}
