package dev.roster.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.apiserver.pki.ClientIdentity;
import dev.roster.apiserver.pki.ClusterPki;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RBAC over TLS: upstream's 403 words for a user without grants, the defaults, and a RoleBinding that lets one in. */
class RbacServerTest {
    static final ClientIdentity JANE = new ClientIdentity("jane", "jane", List.of());
    static final ClientIdentity JOE = new ClientIdentity("joe", "joe", List.of("devs"));
    @TempDir static Path dir;
    static ClusterPki pki;
    static ApiServer api;

    @BeforeAll
    static void start() {
        pki = ClusterPki.ensure(dir.resolve("pki"), ClusterPki.ServingNames.forApiServer("box", "127.96.0.1", "127.0.0.1"),
                List.of(ClientIdentity.ADMIN, JANE, JOE), Clock.systemUTC());
        api = new ApiServer(ApiServerConfig.loopback(0), new MemoryStorage(),
                new ServingTls(pki.serving(), pki.ca().certificate())).start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static HttpResponse<String> send(ClientIdentity who, String method, String path, String body, String... headers) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().sslContext(TlsContexts.of(pki.client(who), pki.ca().certificate())).build()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.url() + path)).header("Content-Type", "application/json");
            for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "GET    | /api/v1/namespaces/default/pods | pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
        "GET    | /api/v1/nodes/n1                | nodes \"n1\" is forbidden: User \"jane\" cannot get resource \"nodes\" in API group \"\" at the cluster scope",
        "DELETE | /apis/apps/v1/namespaces/x/deployments/d/scale | deployments.apps \"d\" is forbidden: User \"jane\" cannot delete resource \"deployments/scale\" in API group \"apps\" in the namespace \"x\"",
        "GET    | /metrics                        | forbidden: User \"jane\" cannot get path \"/metrics\"",
    })
    void aUserWithoutGrantsGetsUpstreamsWords(String method, String path, String message) throws Exception {
        HttpResponse<String> r = send(JANE, method, path, null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Json.parse(r.body()).path("message").asString()).isEqualTo(message);
        assertThat(Json.parse(r.body()).path("reason").asString()).isEqualTo("Forbidden");
    }

    @ParameterizedTest
    @CsvSource({"/api", "/apis", "/version", "/api/v1", "/openapi/v2"})
    void everyAuthenticatedUserMayDiscover(String path) throws Exception {
        assertThat(send(JANE, "GET", path, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theDefaultPolicyIsStoredAndAggregatedRolesHoldTheirParts() throws Exception {
        HttpResponse<String> view = send(ClientIdentity.ADMIN, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view", null);
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(view.body()).contains("\"pods\"").contains("rbac-defaults");
        assertThat(send(ClientIdentity.ADMIN, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:node-proxier",
                null).body()).contains("system:kube-proxy");
    }

    @Test
    void aRoleBindingLetsAGroupIn() throws Exception {
        assertThat(send(JOE, "GET", "/api/v1/namespaces/kube-system/configmaps", null).statusCode()).isEqualTo(403);
        HttpResponse<String> created = send(ClientIdentity.ADMIN, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/rolebindings",
                """
                {"metadata":{"name":"devs-view"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
                 "subjects":[{"kind":"Group","name":"devs"}]}""");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(Json.parse(created.body()).path("subjects").get(0).path("apiGroup").asString()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(send(JOE, "GET", "/api/v1/namespaces/kube-system/configmaps", null).statusCode()).isEqualTo(200);
        assertThat(send(JOE, "GET", "/api/v1/namespaces/default/configmaps", null).statusCode()).isEqualTo(403);
        assertThat(send(JOE, "DELETE", "/api/v1/namespaces/kube-system/configmaps/x", null).statusCode()).isEqualTo(403);
    }

    @Test
    void roleRefCannotChange() throws Exception {
        String path = "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings";
        assertThat(send(ClientIdentity.ADMIN, "POST", path, """
                {"metadata":{"name":"fixed"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"}}""")
                .statusCode()).isEqualTo(201);
        HttpResponse<String> r = send(ClientIdentity.ADMIN, "PATCH", path + "/fixed", "{\"roleRef\":{\"name\":\"edit\"}}");
        assertThat(r.statusCode()).isEqualTo(415); // merge patch needs its content type; the JSON one is refused
    }

    static final String SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    static String access(String verb, String resource, String namespace) {
        return "{\"spec\":{\"resourceAttributes\":{\"verb\":\"" + verb + "\",\"resource\":\"" + resource
                + "\",\"namespace\":\"" + namespace + "\"}}}";
    }

    @ParameterizedTest(name = "{0} may {1} {2} in ''{3}'': {4}")
    @CsvSource({
        "jane, list, pods, default, false",
        "jane, create, selfsubjectaccessreviews, '', false",
        "admin, delete, nodes, '', true",
    })
    void selfSubjectAccessReviewsAskTheChain(String who, String verb, String resource, String ns, boolean allowed) throws Exception {
        ClientIdentity id = who.equals("jane") ? JANE : ClientIdentity.ADMIN;
        HttpResponse<String> r = send(id, "POST", SSAR, access(verb, resource, ns));
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(Json.parse(r.body()).path("kind").asString()).isEqualTo("SelfSubjectAccessReview");
        assertThat(Json.parse(r.body()).path("status").path("allowed").asBoolean()).isEqualTo(allowed);
    }

    @Test
    void aReviewWithoutAttributesIsInvalid() throws Exception {
        HttpResponse<String> r = send(JANE, "POST", SSAR, "{\"spec\":{}}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("exactly one of nonResourceAttributes or resourceAttributes must be specified");
    }

    @Test
    void subjectAccessReviewsNeedTheirOwnGrant() throws Exception {
        String path = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
        String body = "{\"spec\":{\"user\":\"jane\",\"resourceAttributes\":{\"verb\":\"get\",\"resource\":\"pods\",\"namespace\":\"a\"}}}";
        HttpResponse<String> asAdmin = send(ClientIdentity.ADMIN, "POST", path, body);
        assertThat(Json.parse(asAdmin.body()).path("status").path("allowed").asBoolean()).isFalse();
        assertThat(send(JANE, "POST", path, body).statusCode()).isEqualTo(403);
    }

    @Test
    void rulesReviewsListWhatRbacGrants() throws Exception {
        HttpResponse<String> r = send(JANE, "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                "{\"spec\":{\"namespace\":\"default\"}}");
        assertThat(r.statusCode()).isEqualTo(201);
        String status = Json.parse(r.body()).path("status").toString();
        assertThat(status).contains("selfsubjectaccessreviews").contains("\"/apis/*\"").doesNotContain("\"pods\"");
    }

    @Test
    void anAdminImpersonatingJaneGetsJanesAnswer() throws Exception {
        HttpResponse<String> r = send(ClientIdentity.ADMIN, "GET", "/api/v1/namespaces/default/pods", null, "Impersonate-User", "jane");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Json.parse(r.body()).path("message").asString())
                .isEqualTo("pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "Impersonate-User  | kubernetes-admin           | users \"kubernetes-admin\" is forbidden: User \"jane\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
        "Impersonate-User  | system:serviceaccount:ns:sa | serviceaccounts \"sa\" is forbidden: User \"jane\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"ns\"",
    })
    void impersonationNeedsTheImpersonateVerb(String header, String value, String message) throws Exception {
        HttpResponse<String> r = send(JANE, "GET", "/api/v1/namespaces/default/pods", null, header, value);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Json.parse(r.body()).path("message").asString()).isEqualTo(message);
    }

    @Test
    void groupsWithoutAUserAreABadRequest() throws Exception {
        assertThat(send(ClientIdentity.ADMIN, "GET", "/api/v1/namespaces", null, "Impersonate-Group", "devs").statusCode()).isEqualTo(400);
    }

    static final String RBAC = "/apis/rbac.authorization.k8s.io/v1/namespaces/team/";

    static void makeJaneAdminOfTeam() throws Exception {
        send(ClientIdentity.ADMIN, "POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}");
        send(ClientIdentity.ADMIN, "POST", RBAC + "rolebindings", """
                {"metadata":{"name":"jane-admin"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"admin"},
                 "subjects":[{"kind":"User","name":"jane"}]}""");
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> escalations() {
        String held = "user \"jane\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:";
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("a role with rules jane holds", "roles",
                        role("r1", "pods", "get"), 201, null),
                org.junit.jupiter.params.provider.Arguments.of("a role with rules jane lacks", "roles",
                        role("r2", "nodes", "get\",\"list"), 403, "roles.rbac.authorization.k8s.io \"r2\" is forbidden: " + held
                                + "\n{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\"]}\n{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"list\"]}"),
                org.junit.jupiter.params.provider.Arguments.of("a binding to a role jane holds", "rolebindings",
                        binding("b1", "view"), 201, null),
                org.junit.jupiter.params.provider.Arguments.of("a binding to cluster-admin", "rolebindings",
                        binding("b2", "cluster-admin"), 403, "rolebindings.rbac.authorization.k8s.io \"b2\" is forbidden: " + held));
    }

    static String role(String name, String resource, String verbs) {
        return "{\"metadata\":{\"name\":\"" + name + "\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"" + resource
                + "\"],\"verbs\":[\"" + verbs + "\"]}]}";
    }

    static String binding(String name, String clusterRole) {
        return "{\"metadata\":{\"name\":\"" + name + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\""
                + clusterRole + "\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"bob\"}]}";
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("escalations")
    void escalationAndBindChecks(String what, String resource, String body, int code, String message) throws Exception {
        makeJaneAdminOfTeam();
        HttpResponse<String> r = send(JANE, "POST", RBAC + resource, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
        if (message != null) assertThat(Json.parse(r.body()).path("message").asString()).startsWith(message);
    }

    @Test
    void aLocalReviewMustAskAboutItsOwnNamespace() throws Exception {
        String body = "{\"spec\":{\"user\":\"jane\",\"resourceAttributes\":{\"verb\":\"get\",\"resource\":\"pods\",\"namespace\":\"b\"}}}";
        HttpResponse<String> r = send(ClientIdentity.ADMIN, "POST", "/apis/authorization.k8s.io/v1/namespaces/a/localsubjectaccessreviews", body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.parse(r.body()).path("message").asString()).isEqualTo("spec.resourceAttributes.namespace must match namespace: a");
        HttpResponse<String> ok = send(ClientIdentity.ADMIN, "POST", "/apis/authorization.k8s.io/v1/namespaces/b/localsubjectaccessreviews", body);
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(Json.parse(ok.body()).path("kind").asString()).isEqualTo("LocalSubjectAccessReview");
    }
}
