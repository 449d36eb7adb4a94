package dev.roster.apiserver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.api.Json;
import dev.roster.apiserver.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** serviceaccounts/token, TokenReview and SelfSubjectReview against a real in-process API server. */
class TokenRequestTest {
    @RegisterExtension static final TestServer api = new TestServer();
    static final String SA = "/api/v1/namespaces/default/serviceaccounts";
    static String podUid;

    @BeforeAll
    static void objects() {
        assertEquals(201, api.post(SA, "{\"metadata\":{\"name\":\"builder\"}}").code());
        assertEquals(201, api.post(SA, "{\"metadata\":{\"name\":\"other\"}}").code());
        var pod = api.post("/api/v1/namespaces/default/pods", "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"serviceAccountName\":\"builder\","
                + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
        assertEquals(201, pod.code(), pod.body());
        podUid = pod.text("metadata", "uid");
    }

    static JsonNode claims(String token) {
        return Json.parse(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    @Test
    void aDefaultRequestGetsAnHourForTheApiServer() {
        TestServer.Reply r = api.post(SA + "/builder/token", "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\"}");
        assertEquals(201, r.code(), r.body());
        assertEquals("TokenRequest", r.text("kind"));
        assertEquals("authentication.k8s.io/v1", r.text("apiVersion"));
        assertEquals("builder", r.text("metadata", "name"));
        assertEquals("[\"https://kubernetes.default.svc.cluster.local\"]", r.json().path("spec").path("audiences").toString());
        assertEquals(3600, r.json().path("spec").path("expirationSeconds").asLong());
        assertTrue(r.json().path("spec").path("boundObjectRef").isNull());
        JsonNode c = claims(r.text("status", "token"));
        assertEquals(3600, c.path("exp").asLong() - c.path("iat").asLong());
        assertEquals("system:serviceaccount:default:builder", c.path("sub").asString());
    }

    @Test
    void aPodBoundKubeletTokenLastsAYearAndWarnsAfterTheAskedTime() {
        TestServer.Reply r = api.post(SA + "/builder/token", "{\"spec\":{\"expirationSeconds\":3607,\"boundObjectRef\":"
                + "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web\",\"uid\":\"" + podUid + "\"}}}");
        assertEquals(201, r.code(), r.body());
        JsonNode c = claims(r.text("status", "token"));
        assertEquals(365L * 24 * 3600, c.path("exp").asLong() - c.path("iat").asLong());
        assertEquals(3607, c.path("kubernetes.io").path("warnafter").asLong() - c.path("iat").asLong());
        assertEquals(podUid, c.path("kubernetes.io").path("pod").path("uid").asString());
    }

    /** upstream's refusals, word for word. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "too short     | builder | {\"spec\":{\"expirationSeconds\":599}} | 422 | TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes",
        "too long      | builder | {\"spec\":{\"expirationSeconds\":4294967297}} | 422 | TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds",
        "no such SA    | ghost   | {} | 404 | serviceaccounts \"ghost\" not found",
        "name differs  | builder | {\"metadata\":{\"name\":\"x\"}} | 422 | TokenRequest.authentication.k8s.io \"builder\" is invalid: metadata.name: Invalid value: \"x\": must match the service account name if specified",
        "wrong kind    | builder | {\"spec\":{\"boundObjectRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"d\"}}} | 400 | cannot bind token to object of type apps/v1, Kind=Deployment",
        "no such pod   | builder | {\"spec\":{\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"nope\"}}} | 404 | pods \"nope\" not found",
        "pod runs as another | other | {\"spec\":{\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web\"}}} | 400 | cannot bind token for serviceaccount \"other\" to pod running with different serviceaccount name.",
        "stale uid     | builder | {\"spec\":{\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web\",\"uid\":\"old\"}}} | 409 | Operation cannot be fulfilled on Pod \"web\": the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated",
    })
    void refusals(String why, String sa, String body, int code, String message) {
        TestServer.Reply r = api.post(SA + "/" + sa + "/token", body);
        assertEquals(code, r.code(), r.body());
        assertEquals(message, r.text("message"));
    }

    @Test
    void tokenReviewSaysWhoATokenIsAndWhyNot() {
        String token = api.post(SA + "/builder/token", "{\"spec\":{\"audiences\":[\"vault\"]}}").text("status", "token");
        TestServer.Reply ok = api.post("/apis/authentication.k8s.io/v1/tokenreviews",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"" + token + "\",\"audiences\":[\"vault\"]}}");
        assertEquals(201, ok.code(), ok.body());
        JsonNode st = ok.json().path("status");
        assertTrue(st.path("authenticated").asBoolean());
        assertEquals("system:serviceaccount:default:builder", st.path("user").path("username").asString());
        assertEquals("[\"system:serviceaccounts\",\"system:serviceaccounts:default\",\"system:authenticated\"]",
                st.path("user").path("groups").toString());
        assertEquals("[\"vault\"]", st.path("audiences").toString());

        TestServer.Reply wrong = api.post("/apis/authentication.k8s.io/v1/tokenreviews", "{\"spec\":{\"token\":\"" + token + "\"}}");
        assertEquals(201, wrong.code());
        assertEquals("[invalid bearer token, token audiences [\"vault\"] is invalid for the target audiences "
                + "[\"https://kubernetes.default.svc.cluster.local\"]]", wrong.json().path("status").path("error").asString());
        assertTrue(wrong.json().path("status").path("authenticated").isMissingNode());

        assertEquals(400, api.post("/apis/authentication.k8s.io/v1/tokenreviews", "{\"spec\":{}}").code());
    }

    @Test
    void selfSubjectReviewOnPlainHttpIsAnonymous() {
        for (String v : new String[] {"v1", "v1beta1"}) {
            TestServer.Reply r = api.post("/apis/authentication.k8s.io/" + v + "/selfsubjectreviews", "{}");
            assertEquals(201, r.code(), r.body());
            assertEquals("authentication.k8s.io/" + v, r.text("apiVersion"));
            assertEquals("{\"username\":\"system:anonymous\",\"groups\":[\"system:unauthenticated\"]}",
                    r.json().path("status").path("userInfo").toString());
        }
    }

    @Test
    void discoveryListsTheTokenSubresourceAsUpstreamDoes() {
        JsonNode resources = api.get("/api/v1").json().path("resources");
        JsonNode token = null;
        for (JsonNode r : resources) if (r.path("name").asString().equals("serviceaccounts/token")) token = r;
        assertEquals("{\"name\":\"serviceaccounts/token\",\"singularName\":\"\",\"namespaced\":true,\"group\":\"authentication.k8s.io\","
                + "\"version\":\"v1\",\"kind\":\"TokenRequest\",\"verbs\":[\"create\"]}", String.valueOf(token));
        assertTrue(api.get("/apis/authentication.k8s.io/v1").body().contains("\"tokenreviews\""));
        assertEquals("authentication.k8s.io/v1", api.get("/apis/authentication.k8s.io").json().path("preferredVersion").path("groupVersion").asString());
    }
}
