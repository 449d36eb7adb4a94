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
 * Run: {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) dev.roster.bench.InProcessCreates [N [deployments]]};
 * with {@code deployments} it creates Deployments (a nested pod template) with {@code fieldValidation=Strict}, the
 * request kubectl sends, to show the cost of field validation on a deep object.
 */
public final class InProcessCreates {
    private InProcessCreates() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        boolean deployments = args.length > 1 && args[1].equals("deployments");
        String path = deployments ? "/apis/apps/v1/namespaces/default/deployments" : "/api/v1/namespaces/default/configmaps";
        Map<String, java.util.List<String>> query = deployments ? Map.of("fieldValidation", java.util.List.of("Strict")) : Map.of();
        for (String kind : new String[] {StorageFactory.MEMORY, StorageFactory.SQLITE}) {
            try (Storage storage = StorageFactory.open(kind, Files.createTempDirectory("roster-inproc"));
                 ApiServer api = new ApiServer(ApiServerConfig.loopback(0), storage).start()) {
                for (int round = 0; round < 3; round++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        byte[] body = (deployments ? deployment("d-" + round + "-" + i)
                                : "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + round + "-" + i
                                + "\",\"labels\":{\"app\":\"x\"}},\"data\":{\"k\":\"" + "v".repeat(200) + "\"}}")
                                .getBytes(StandardCharsets.UTF_8);
                        RestResponse r = api.handle(new RestRequest("POST", path, query,
                                h -> h.equalsIgnoreCase("Content-Type") ? "application/json" : null, () -> body));
                        if (r.status() != 201) throw new IllegalStateException(new String(r.body(), StandardCharsets.UTF_8));
                    }
                    System.out.printf("%-6s round %d: %.1f µs per create%n", kind, round + 1, (System.nanoTime() - t0) / 1e3 / n);
                }
            }
        }
        System.exit(0);
    }

    /** A Deployment as kubectl create -f sends it: labels, a selector and a one-container template. */
    private static String deployment(String name) {
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
                + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"web\","
                + "\"image\":\"nginx\",\"ports\":[{\"containerPort\":80}],\"env\":[{\"name\":\"A\",\"value\":\"1\"}],"
                + "\"readinessProbe\":{\"httpGet\":{\"path\":\"/\",\"port\":80}},"
                + "\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}]}}}}";
    }
}
