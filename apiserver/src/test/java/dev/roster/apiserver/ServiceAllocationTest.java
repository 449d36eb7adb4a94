package dev.roster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.apiserver.TestServer.Reply;
import dev.roster.storage.sqlite.SqliteStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ClusterIP and NodePort allocation with upstream's messages, release on delete, and survival across restarts. */
class ServiceAllocationTest {
    static final String SVC = "/api/v1/namespaces/default/services";

    static String svc(String name, String extraSpec) {
        return "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + extraSpec + "\"ports\":[{\"port\":80}]}}";
    }

    @Test
    void clusterIpsAreAllocatedFromTheRangeAndConflictsAreInvalid() {
        try (TestServer api = new TestServer()) {
            Reply a = api.post(SVC, svc("a", "\"clusterIP\":\"127.96.1.1\","));
            assertThat(a.code()).isEqualTo(201);
            assertThat(a.text("spec", "clusterIP")).isEqualTo("127.96.1.1");
            assertThat(a.json().path("spec").path("clusterIPs").get(0).asString()).isEqualTo("127.96.1.1");
            Reply taken = api.post(SVC, svc("b", "\"clusterIP\":\"127.96.1.1\","));
            assertThat(taken.code()).isEqualTo(422);
            assertThat(taken.text("message")).isEqualTo(
                    "Service \"b\" is invalid: spec.clusterIPs[0]: Invalid value: \"127.96.1.1\": provided IP is already allocated");
            Reply outside = api.post(SVC, svc("c", "\"clusterIP\":\"10.0.0.1\","));
            assertThat(outside.text("message")).isEqualTo("Service \"c\" is invalid: spec.clusterIPs[0]: Invalid value: "
                    + "\"10.0.0.1\": provided IP is not in the valid range. The range of valid IPs is 127.96.0.0/16");
            Reply headless = api.post(SVC, svc("h", "\"clusterIP\":\"None\","));
            assertThat(headless.text("spec", "clusterIP")).isEqualTo("None");
            api.delete(SVC + "/a");
            assertThat(api.post(SVC, svc("d", "\"clusterIP\":\"127.96.1.1\",")).code()).isEqualTo(201);
        }
    }

    @Test
    void nodePortsAreAllocatedAndKeptAcrossUpdates() {
        try (TestServer api = new TestServer()) {
            Reply np = api.post(SVC, svc("np", "\"type\":\"NodePort\","));
            int port = np.json().path("spec").path("ports").get(0).path("nodePort").asInt();
            assertThat(port).isBetween(30000, 32767);
            Reply relabel = api.patch(SVC + "/np", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
            assertThat(relabel.json().path("spec").path("ports").get(0).path("nodePort").asInt()).isEqualTo(port);
            Reply clash = api.post(SVC, "{\"metadata\":{\"name\":\"np2\"},\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":"
                    + port + "}]}}");
            assertThat(clash.text("message")).endsWith("spec.ports[0].nodePort: Invalid value: " + port + ": provided port is already allocated");
            Reply out = api.post(SVC, "{\"metadata\":{\"name\":\"np3\"},\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":80}]}}");
            assertThat(out.text("message")).contains("provided port is not in the valid range. The range of valid ports is 30000-32767");
        }
    }

    @Test
    void allocationsSurviveARestart(@TempDir Path dir) {
        ApiServerConfig cfg = ApiServerConfig.loopback(0);
        try (TestServer api = new TestServer(SqliteStorage.open(dir.resolve("db")), cfg)) {
            assertThat(api.post(SVC, svc("keep", "\"clusterIP\":\"127.96.9.9\",")).code()).isEqualTo(201);
        }
        try (TestServer api = new TestServer(SqliteStorage.open(dir.resolve("db")), cfg)) {
            assertThat(api.get(SVC + "/keep").text("spec", "clusterIP")).isEqualTo("127.96.9.9");
            assertThat(api.post(SVC, svc("again", "\"clusterIP\":\"127.96.9.9\",")).code()).isEqualTo(422);
        }
    }
}
