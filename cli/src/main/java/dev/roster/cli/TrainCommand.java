package dev.roster.cli;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.pki.ClientIdentity;
import dev.roster.apiserver.pki.ClusterPki;
import dev.roster.apiserver.pki.ServingTls;
import dev.roster.apiserver.pki.TlsContexts;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * A short, self-contained workload the launcher runs once after each build to record the JVM's
 * AOT cache (JDK 25): the classes {@code roster up} loads and links are then ready at start-up,
 * which is most of its start-up time. Hidden: it is not for users.
 */
@Command(name = "train", hidden = true, description = "Exercise the server once to record the start-up cache.")
final class TrainCommand implements Callable<Integer> {
    private static final String JSON = "application/json";
    private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

    private ClusterPki pki;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("roster-train");
        try (Storage storage = StorageFactory.open(StorageFactory.SQLITE, dir);
             ApiServer api = tlsServer(storage, dir)) {
            HttpClient http = HttpClient.newBuilder().sslContext(TlsContexts.of(pki.client(ClientIdentity.ADMIN), pki.ca().certificate())).build();
            String base = api.url();
            // the process runtime, as roster up runs by default, so its classes are in the cache too
            Cluster cluster = Cluster.start(ComponentAccess.tls(base, pki), Cluster.Options.sim(1).withRuntime(Cluster.RuntimeKind.process, dir));
            String deploy = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"train\",\"labels\":{\"app\":\"train\"}},"
                    + "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"train\"}},\"template\":{\"metadata\":"
                    + "{\"labels\":{\"app\":\"train\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"ports\":[{\"containerPort\":80}]}]}}}}";
            String svc = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"train\"},"
                    + "\"spec\":{\"selector\":{\"app\":\"train\"},\"ports\":[{\"port\":80}]}}";
            send(http, "GET", base + "/version", null, null, JSON);
            send(http, "GET", base + "/api", null, null, "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
            send(http, "GET", base + "/apis", null, null, "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
            send(http, "POST", base + "/apis/apps/v1/namespaces/default/deployments", JSON, deploy, JSON);
            send(http, "POST", base + "/api/v1/namespaces/default/services", JSON, svc, JSON);
            send(http, "PATCH", base + "/apis/apps/v1/namespaces/default/deployments/train/scale", "application/merge-patch+json",
                    "{\"spec\":{\"replicas\":3}}", JSON);
            for (String path : new String[] {"/api/v1/namespaces/default/services", "/apis/apps/v1/namespaces/default/deployments",
                    "/api/v1/namespaces", "/api/v1/namespaces/default/endpoints", "/api/v1/namespaces/default/pods"}) {
                send(http, "GET", base + path, null, null, TABLE);
                send(http, "GET", base + path, null, null, JSON);
            }
            HttpResponse<InputStream> watch = http.send(HttpRequest.newBuilder(URI.create(
                    base + "/api/v1/namespaces/default/services?watch=true&resourceVersion=0&timeoutSeconds=1")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = watch.body()) {
                in.readAllBytes();
            }
            send(http, "DELETE", base + "/api/v1/namespaces/default/services/train", null, null, JSON);
            send(http, "GET", base + "/openapi/v3", null, null, JSON);
            // let the controllers and the node agent run the deployment once
            for (int i = 0; i < 50 && !send(http, "GET", base + "/apis/apps/v1/namespaces/default/deployments/train", null, null, JSON)
                    .contains("\"availableReplicas\":3"); i++) {
                Thread.sleep(100);
            }
            cluster.close();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /** TLS and a fresh PKI, as a first {@code roster up} runs, so certificate making and the handshakes are cached too. */
    private ApiServer tlsServer(Storage storage, Path dir) {
        ApiServerConfig config = ApiServerConfig.loopback(0);
        pki = Pki.ensure(dir, config, config.host(), 1);
        return new ApiServer(config, storage, new ServingTls(pki.serving(), pki.ca().certificate())).start();
    }

    private static String send(HttpClient http, String method, String url, String contentType, String body, String accept)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Accept", accept);
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
