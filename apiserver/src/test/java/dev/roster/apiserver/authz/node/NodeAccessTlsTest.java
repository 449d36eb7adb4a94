package dev.roster.apiserver.authz.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.api.Json;
import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.pki.ClientIdentity;
import dev.roster.apiserver.pki.ClusterPki;
import dev.roster.apiserver.pki.Credential;
import dev.roster.apiserver.pki.ServingTls;
import dev.roster.apiserver.pki.TlsContexts;
import dev.roster.storage.memory.MemoryStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Node identities against a TLS API server: the Node authorizer (a pod created just before is already in its graph)
 * and node restriction admission, with upstream's 403 messages.
 */
class NodeAccessTlsTest {
    static final List<ClientIdentity> WHO = List.of(ClientIdentity.ADMIN, ClientIdentity.node("n1"), ClientIdentity.node("n2"));
    @TempDir static Path dir;
    static ClusterPki pki;
    static ApiServer api;

    /** Two nodes, each running one pod that mounts its own Secret. */
    @BeforeAll
    static void start() throws Exception {
        pki = ClusterPki.ensure(dir.resolve("pki"), ClusterPki.ServingNames.forApiServer("box", "127.96.0.1", "127.0.0.1"), WHO, Clock.systemUTC());
        api = new ApiServer(ApiServerConfig.loopback(0), new MemoryStorage(), new ServingTls(pki.serving(), pki.ca().certificate())).start();
        Credential admin = pki.client(ClientIdentity.ADMIN);
        for (String node : new String[] {"n1", "n2"}) {
            String secret = node.equals("n1") ? "s1" : "s2";
            send(admin, "POST", "/api/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"" + secret + "\"},\"stringData\":{\"k\":\"v\"}}");
            send(admin, "POST", "/api/v1/nodes", "{\"metadata\":{\"name\":\"" + node + "\"}}");
            send(admin, "POST", "/api/v1/namespaces/default/pods", "{\"metadata\":{\"name\":\"pod-" + node + "\"},\"spec\":{\"nodeName\":\""
                    + node + "\",\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],\"volumes\":[{\"name\":\"v\",\"secret\":{\"secretName\":\""
                    + secret + "\"}}]}}");
        }
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static HttpResponse<String> send(Credential who, String method, String path, String body) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().sslContext(TlsContexts.of(who, pki.ca().certificate())).build()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.url() + path));
            String type = method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", type);
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} → {4}")
    @CsvSource(delimiter = '|', textBlock = """
        GET    | /api/v1/namespaces/default/secrets/s1 | '' | 200 | ''
        GET    | /api/v1/namespaces/default/secrets?fieldSelector=metadata.name%3Ds1 | '' | 200 | ''
        GET    | /api/v1/namespaces/default/secrets/s2 | '' | 403 | secrets "s2" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'n1' and this object
        GET    | /api/v1/namespaces/default/secrets | '' | 403 | secrets is forbidden: User "system:node:n1" cannot list resource "secrets" in API group "" in the namespace "default": No Object name found
        PATCH  | /api/v1/namespaces/default/pods/pod-n2/status | {"status":{"phase":"Failed"}} | 403 | pods "pod-n2" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself
        PATCH  | /api/v1/namespaces/default/pods/pod-n1/status | {"status":{"phase":"Running"}} | 200 | ''
        PATCH  | /api/v1/nodes/n2 | {"metadata":{"labels":{"a":"b"}}} | 403 | nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"
        PATCH  | /api/v1/nodes/n1 | {"metadata":{"labels":{"node-restriction.kubernetes.io/pool":"x"}}} | 403 | nodes "n1" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/pool
        PATCH  | /api/v1/nodes/n1 | {"metadata":{"labels":{"a":"b"}}} | 200 | ''
        DELETE | /api/v1/namespaces/default/pods/pod-n2 | '' | 403 | pods "pod-n2" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself
        POST   | /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases | {"metadata":{"name":"n2"},"spec":{}} | 403 | leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node
        POST   | /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases | {"metadata":{"name":"n1"},"spec":{"holderIdentity":"n1"}} | 201 | ''
        PUT    | /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n2 | {"metadata":{"name":"n2"},"spec":{}} | 403 | leases.coordination.k8s.io "n2" is forbidden: User "system:node:n1" cannot update resource "leases" in API group "coordination.k8s.io" in the namespace "kube-node-lease": can only access node lease with the same name as the requesting node
        POST   | /api/v1/namespaces/default/serviceaccounts/default/token | {"spec":{}} | 403 | serviceaccounts "default" is forbidden: node requested token not bound to a pod
        POST   | /api/v1/namespaces/default/pods | {"metadata":{"name":"sneaky"},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"i"}]}} | 403 | pods "sneaky" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods
        """)
    void nodeOneMayTouchOnlyWhatIsItsOwn(String method, String path, String body, int code, String message) throws Exception {
        HttpResponse<String> r = send(pki.client(ClientIdentity.node("n1")), method, path, body.isEmpty() ? null : body);
        assertEquals(code, r.statusCode(), r.body());
        if (!message.isEmpty()) assertEquals(message, Json.text(Json.parse(r.body()), "message"));
    }
}
