package dev.roster.apiserver.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import dev.roster.api.Json;
import dev.roster.apiserver.pki.ServiceAccountKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs and checks ServiceAccount tokens: ES256 JWTs with the key's id in the {@code kid} header and upstream's claim
 * set ({@code aud} always a list, times in whole seconds, claims in upstream's sorted order). Checking covers what the token itself proves — signature,
 * issuer, validity window, audience; whether the ServiceAccount and bound objects still exist is
 * {@link ServiceAccountTokenAuthenticator}'s part.
 */
public record ServiceAccountTokens(ServiceAccountKey key, Clock clock) {
    /** The issuer, and the API server's one audience, as kubeadm clusters default them. */
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    /** The clock skew allowed on expiry and not-before, go-jose's default leeway that upstream relies on. */
    static final Duration LEEWAY = Duration.ofMinutes(1);

    public String issue(ServiceAccountClaims c) {
        Map<String, Object> k8s = new LinkedHashMap<>();
        k8s.put("namespace", c.namespace());
        if (c.node() != null) k8s.put("node", bound(c.node()));
        if (c.pod() != null) k8s.put("pod", bound(c.pod()));
        if (c.secret() != null) k8s.put("secret", bound(c.secret()));
        k8s.put("serviceaccount", bound(new ServiceAccountClaims.Bound(c.serviceAccount(), c.serviceAccountUid())));
        if (c.warnAfter() != null) k8s.put("warnafter", c.warnAfter().getEpochSecond());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", new ArrayList<>(c.audiences()));
        claims.put("exp", c.expiry().getEpochSecond());
        claims.put("iat", c.issuedAt().getEpochSecond());
        claims.put("iss", ISSUER);
        claims.put("jti", c.id());
        claims.put("kubernetes.io", k8s);
        claims.put("nbf", c.issuedAt().getEpochSecond());
        claims.put("sub", c.subject());
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.keyId()).build(), new Payload(Json.MAPPER.writeValueAsString(claims)));
        try {
            jws.sign(new ECDSASigner(key.privateKey())); // a signer only wraps the key: nothing to keep
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a ServiceAccount token", e);
        }
        return jws.serialize();
    }

    /**
     * The claims of a token this key signed, checked against the clock and {@code audiences} (the token must name at
     * least one of them).
     *
     * @throws NotOurs when the text is not a JWT from this issuer (another authenticator may know it)
     * @throws InvalidToken when it is ours but must not be accepted
     */
    public ServiceAccountClaims verify(String token, List<String> audiences) throws NotOurs, InvalidToken {
        JWSObject jws;
        Map<String, Object> claims;
        try {
            jws = JWSObject.parse(token);
            claims = jws.getPayload().toJSONObject();
        } catch (ParseException | RuntimeException e) {
            throw new NotOurs();
        }
        if (claims == null || !ISSUER.equals(claims.get("iss"))) throw new NotOurs();
        try {
            if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm()) || !jws.verify(new ECDSAVerifier(key.publicKey()))) {
                throw new InvalidToken("invalid signature");
            }
        } catch (JOSEException e) {
            throw new InvalidToken("invalid signature");
        }
        Instant now = clock.instant();
        Instant exp = seconds(claims.get("exp"));
        Instant nbf = seconds(claims.get("nbf"));
        if (exp == null || now.isAfter(exp.plus(LEEWAY))) throw new InvalidToken("service account token has expired");
        if (nbf != null && now.plus(LEEWAY).isBefore(nbf)) throw new InvalidToken("service account token is not valid yet");
        List<String> aud = strings(claims.get("aud"));
        if (audiences.stream().noneMatch(aud::contains)) {
            throw new InvalidToken("token audiences " + quoted(aud) + " is invalid for the target audiences " + quoted(audiences));
        }
        if (!(claims.get("kubernetes.io") instanceof Map<?, ?> k8s)) throw new InvalidToken("service account token claims are missing");
        ServiceAccountClaims.Bound sa = bound(k8s.get("serviceaccount"));
        String ns = k8s.get("namespace") instanceof String s ? s : null;
        String sub = claims.get("sub") instanceof String s ? s : "";
        if (sa == null || ns == null || !sub.equals(ServiceAccountClaims.SUBJECT_PREFIX + ns + ":" + sa.name())) {
            throw new InvalidToken("service account token claims are malformed");
        }
        Instant iat = seconds(claims.get("iat"));
        return new ServiceAccountClaims(ns, sa.name(), sa.uid(), bound(k8s.get("pod")), bound(k8s.get("secret")),
                bound(k8s.get("node")), aud, iat == null ? nbf : iat, exp,
                claims.get("jti") instanceof String j ? j : "", seconds(k8s.get("warnafter")));
    }

    private static Map<String, Object> bound(ServiceAccountClaims.Bound b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", b.name());
        if (b.uid() != null && !b.uid().isEmpty()) m.put("uid", b.uid());
        return m;
    }

    private static ServiceAccountClaims.Bound bound(Object o) {
        if (!(o instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) return null;
        return new ServiceAccountClaims.Bound(name, m.get("uid") instanceof String uid ? uid : "");
    }

    private static Instant seconds(Object o) {
        return o instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : null;
    }

    private static List<String> strings(Object o) {
        if (o instanceof String s) return List.of(s);
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) for (Object x : l) if (x instanceof String s) out.add(s);
        return out;
    }

    /** Go's %q of a string slice: ["a" "b"]. */
    static String quoted(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) b.append(i == 0 ? "" : " ").append('"').append(values.get(i)).append('"');
        return b.append(']').toString();
    }

    /** The text is not a token of this issuer: the next authenticator may know it. */
    public static final class NotOurs extends Exception {
        NotOurs() {
            super("not a ServiceAccount token", null, false, false);
        }
    }
}
