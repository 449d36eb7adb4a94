package dev.roster.apiserver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.api.Json;
import dev.roster.apiserver.pki.ServiceAccountKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Issuing and checking ServiceAccount tokens: the JWT's shape, and every reason one is refused. */
class ServiceAccountTokensTest {
    static final ServiceAccountKey KEY = ServiceAccountKey.generate();
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final List<String> API = List.of(ServiceAccountTokens.ISSUER);

    static ServiceAccountTokens at(Instant t) {
        return new ServiceAccountTokens(KEY, Clock.fixed(t, ZoneOffset.UTC));
    }

    static ServiceAccountClaims claims(ServiceAccountClaims.Bound pod, List<String> audiences, Duration life) {
        return new ServiceAccountClaims("team", "builder", "sa-uid", pod, null,
                pod == null ? null : new ServiceAccountClaims.Bound("roster-node-1", "node-uid"), audiences, NOW, NOW.plus(life),
                "jti-1", null);
    }

    static JsonNode part(String token, int i) {
        return Json.parse(new String(Base64.getUrlDecoder().decode(token.split("\\.")[i]), StandardCharsets.UTF_8));
    }

    @Test
    void aTokenHasUpstreamsHeaderAndClaims() {
        String token = at(NOW).issue(claims(new ServiceAccountClaims.Bound("web-1", "pod-uid"), API, Duration.ofHours(1)));
        assertEquals("{\"kid\":\"" + KEY.keyId() + "\",\"alg\":\"ES256\"}", Json.MAPPER.writeValueAsString(part(token, 0)));
        assertEquals("{\"aud\":[\"https://kubernetes.default.svc.cluster.local\"],\"exp\":" + NOW.plusSeconds(3600).getEpochSecond()
                + ",\"iat\":" + NOW.getEpochSecond() + ",\"iss\":\"https://kubernetes.default.svc.cluster.local\",\"jti\":\"jti-1\","
                + "\"kubernetes.io\":{\"namespace\":\"team\",\"node\":{\"name\":\"roster-node-1\",\"uid\":\"node-uid\"},"
                + "\"pod\":{\"name\":\"web-1\",\"uid\":\"pod-uid\"},\"serviceaccount\":{\"name\":\"builder\",\"uid\":\"sa-uid\"}},"
                + "\"nbf\":" + NOW.getEpochSecond() + ",\"sub\":\"system:serviceaccount:team:builder\"}",
                Json.MAPPER.writeValueAsString(part(token, 1)));
    }

    @Test
    void aGoodTokenGivesBackItsClaims() throws Exception {
        ServiceAccountClaims in = claims(new ServiceAccountClaims.Bound("web-1", "pod-uid"), List.of("x", ServiceAccountTokens.ISSUER),
                Duration.ofMinutes(10));
        ServiceAccountClaims out = at(NOW.plusSeconds(599)).verify(at(NOW).issue(in), API);
        assertEquals(in, out);
    }

    /** Each way a token of ours is refused, with upstream's words where it has them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "expired            | 4000 | other-key=false | https://kubernetes.default.svc.cluster.local | service account token has expired",
        "not valid yet      | -200 | other-key=false | https://kubernetes.default.svc.cluster.local | service account token is not valid yet",
        "signed by another  | 0    | other-key=true  | https://kubernetes.default.svc.cluster.local | invalid signature",
        "another audience   | 0    | other-key=false | vault | token audiences [\"https://kubernetes.default.svc.cluster.local\"] is invalid for the target audiences [\"vault\"]",
    })
    void refusals(String why, long secondsLater, String otherKey, String audience, String message) {
        ServiceAccountKey signer = otherKey.endsWith("true") ? ServiceAccountKey.generate() : KEY;
        String token = new ServiceAccountTokens(signer, Clock.fixed(NOW, ZoneOffset.UTC)).issue(claims(null, API, Duration.ofHours(1)));
        InvalidToken e = assertThrows(InvalidToken.class, () -> at(NOW.plusSeconds(secondsLater)).verify(token, List.of(audience)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void expiryAllowsAMinuteOfClockSkew() throws Exception {
        String token = at(NOW).issue(claims(null, API, Duration.ofHours(1)));
        at(NOW.plusSeconds(3600 + 59)).verify(token, API);
        assertThrows(InvalidToken.class, () -> at(NOW.plusSeconds(3600 + 61)).verify(token, API));
    }

    @ParameterizedTest
    @CsvSource({"not-a-jwt", "a.b.c", "eyJhbGciOiJub25lIn0.eyJpc3MiOiJvdGhlciJ9."})
    void textThatIsNotOurTokenIsLeftToOthers(String text) {
        assertThrows(ServiceAccountTokens.NotOurs.class, () -> at(NOW).verify(text, API));
    }

    @Test
    void theAuthenticatorChecksTheServiceAccountAndBoundPodStillExist() throws Exception {
        Map<String, String> live = new HashMap<>(Map.of("serviceaccounts/team/builder", "sa-uid", "pods/team/web-1", "pod-uid"));
        ServiceAccountTokenAuthenticator auth = new ServiceAccountTokenAuthenticator(at(NOW), (r, ns, n) -> live.get(r + "/" + ns + "/" + n));
        String token = at(NOW).issue(claims(new ServiceAccountClaims.Bound("web-1", "pod-uid"), API, Duration.ofHours(1)));

        UserInfo user = auth.authenticate(token, API).orElseThrow().user();
        assertEquals(new UserInfo("system:serviceaccount:team:builder", "sa-uid", List.of("system:serviceaccounts",
                "system:serviceaccounts:team"), Map.of(
                        "authentication.kubernetes.io/credential-id", List.of("JTI=jti-1"),
                        "authentication.kubernetes.io/node-name", List.of("roster-node-1"),
                        "authentication.kubernetes.io/node-uid", List.of("node-uid"),
                        "authentication.kubernetes.io/pod-name", List.of("web-1"),
                        "authentication.kubernetes.io/pod-uid", List.of("pod-uid"))), user);

        live.put("pods/team/web-1", "recreated");
        assertEquals("pod UID (recreated) does not match claim (pod-uid)",
                assertThrows(InvalidToken.class, () -> auth.authenticate(token, API)).getMessage());
        live.remove("pods/team/web-1");
        assertEquals("pod team/web-1 has been deleted", assertThrows(InvalidToken.class, () -> auth.authenticate(token, API)).getMessage());
        live.put("pods/team/web-1", "pod-uid");
        live.remove("serviceaccounts/team/builder");
        assertEquals("service account team/builder has been deleted",
                assertThrows(InvalidToken.class, () -> auth.authenticate(token, API)).getMessage());
        live.put("serviceaccounts/team/builder", "new-sa");
        assertEquals("service account UID (new-sa) does not match claim (sa-uid)",
                assertThrows(InvalidToken.class, () -> auth.authenticate(token, API)).getMessage());
        assertEquals(Optional.empty(), auth.authenticate("static-token", API), "not a JWT: another authenticator's");
    }

    @Test
    void everyAuthenticatedUserIsInSystemAuthenticatedOnce() {
        Authenticator cert = c -> Optional.of(new UserInfo("alice", List.of("dev")));
        Authenticator already = c -> Optional.of(new UserInfo("bob", List.of("system:authenticated")));
        Credentials none = new Credentials(List.of(), h -> null);
        assertEquals(List.of("dev", "system:authenticated"), cert.withAuthenticatedGroup().authenticate(none).orElseThrow().groups());
        assertEquals(List.of("system:authenticated"), already.withAuthenticatedGroup().authenticate(none).orElseThrow().groups());
        assertTrue(((Authenticator) c -> Optional.empty()).withAuthenticatedGroup().authenticate(none).isEmpty());
    }
}
