package dev.roster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.apiserver.ApiServerConfig.Limits;
import dev.roster.apiserver.TestServer.Reply;
import dev.roster.storage.memory.MemoryStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API server's limits over real HTTP: body size (413 before the body is read), stored object
 * size (etcd's limit), bad input as 4xx Status replies, and per-client in-flight limits (429).
 * Small limits keep the bodies small; one server keeps the defaults to check upstream's numbers.
 */
class LimitsTest {
    static final int BODY = 16_000;
    static final int STORED = 8_000; // above the largest default RBAC role the server stores on start

    @RegisterExtension
    static final TestServer small = new TestServer(new MemoryStorage(), ApiServerConfig.loopback(0).withLimits(new Limits(BODY, STORED, 3, 2)));

    @RegisterExtension
    static final TestServer defaults = new TestServer();

    static String cm(String name, int dataChars) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\""
                + "x".repeat(dataChars) + "\"}}";
    }

    /** An HTTP/1.1 exchange on a raw socket: headers and as much of the body as given, then the reply. */
    static String raw(TestServer server, String headers, byte[] bodyPart, int readTimeoutMs) throws IOException {
        URI u = URI.create(server.url());
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(readTimeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(headers.getBytes(StandardCharsets.US_ASCII));
            out.write(bodyPart);
            out.flush();
            return readReply(s.getInputStream());
        }
    }

    /** The status line, headers and (Content-Length) body of one reply. */
    static String readReply(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) break;
            head.write(b);
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(h);
        byte[] body = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : new byte[0];
        return h + new String(body, StandardCharsets.UTF_8);
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                // declared over the limit and never sent: the answer cannot have waited for it
                Arguments.of("Content-Length over the limit", "Content-Length: " + (BODY + 1) + "\r\n", new byte[0], 413,
                        "Request entity too large: limit is " + BODY),
                // chunks past the limit and no last chunk: the answer came without waiting for the end of the body
                Arguments.of("chunked over the limit", "Transfer-Encoding: chunked\r\n",
                        (Integer.toHexString(BODY) + "\r\n" + "x".repeat(BODY) + "\r\na\r\n0123456789\r\n").getBytes(StandardCharsets.US_ASCII), 413,
                        "Request entity too large: limit is " + BODY),
                Arguments.of("Content-Length at the limit", "Content-Length: " + BODY + "\r\n",
                        ("{" + " ".repeat(BODY - 1)).getBytes(StandardCharsets.US_ASCII), 400, "BadRequest"),
                Arguments.of("chunked at the limit", "Transfer-Encoding: chunked\r\n",
                        (Integer.toHexString(BODY) + "\r\n{" + " ".repeat(BODY - 1) + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII), 400, "BadRequest"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void bodiesOverTheLimitAreRefusedBeforeTheyAreRead(String name, String lengthHeader, byte[] body, int code, String text)
            throws IOException {
        String reply = raw(small, "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + lengthHeader + "\r\n", body, 5_000);
        assertThat(reply).startsWith("HTTP/1.1 " + code).contains(text);
        if (code == 413) {
            assertThat(reply).contains("\"reason\":\"RequestEntityTooLarge\"", "\"code\":413");
        }
    }

    @Test
    void theDefaultBodyLimitIsUpstreams() throws IOException {
        String reply = raw(defaults, "PUT /api/v1/namespaces/default/configmaps/c HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 3145729\r\n\r\n", new byte[0], 5_000);
        assertThat(reply).startsWith("HTTP/1.1 413").contains("Request entity too large: limit is 3145728");
    }

    @Test
    void objectsOverTheStoredLimitGetEtcdsErrorAndChangeNothing() {
        assertStatus(small.post("/api/v1/namespaces/default/configmaps", cm("big", STORED)), 413,
                "etcdserver: request is too large RequestEntityTooLarge");
        assertThat(small.get("/api/v1/namespaces/default/configmaps/big").code()).isEqualTo(404);

        assertThat(small.post("/api/v1/namespaces/default/configmaps", cm("grows", 10)).code()).isEqualTo(201);
        String rv = small.get("/api/v1/namespaces/default/configmaps/grows").text("metadata", "resourceVersion");
        Reply grown = small.patch("/api/v1/namespaces/default/configmaps/grows", "application/merge-patch+json",
                "{\"data\":{\"k\":\"" + "y".repeat(STORED) + "\"}}");
        assertThat(grown.code()).isEqualTo(413);
        assertThat(small.get("/api/v1/namespaces/default/configmaps/grows").text("metadata", "resourceVersion")).isEqualTo(rv);
    }

    static Stream<Arguments> badInput() {
        String cms = "/api/v1/namespaces/default/configmaps";
        return Stream.of(
                Arguments.of("POST", cms, "application/json", "{\"metadata\":{\"name\":[\"a\"]}}", 400,
                        "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal array into Go struct field ObjectMeta.metadata.name of type string"),
                Arguments.of("POST", cms, "application/json", "{\"metadata\":{\"name\":\"n\",\"labels\":{\"a\":1}}}", 400,
                        "json: cannot unmarshal number 1 into Go struct field ObjectMeta.metadata.labels of type string"),
                Arguments.of("POST", "/apis/apps/v1/namespaces/default/deployments", "application/json",
                        "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":\"3\"}}", 400,
                        "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"),
                Arguments.of("POST", cms, "application/json", "{\"metadata\":{}}", 422, "name or generateName is required"),
                Arguments.of("POST", cms, "application/json", "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"n\"}}", 400,
                        "the object provided is of kind Secret"),
                Arguments.of("POST", "/apis/events.k8s.io/v1/namespaces/default/events", "application/json",
                        "{\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"n\"}}", 400,
                        "the API version in the data (apps/v1) does not match the expected API version (events.k8s.io/v1)"),
                Arguments.of("POST", cms, "application/json", "{\"metadata\":{\"name\":\"n\"},\"x\":" + "[".repeat(1001) + "]".repeat(1001) + "}",
                        400, "the body of the request could not be decoded as JSON"),
                Arguments.of("POST", cms, "application/yaml", "metadata: {name: n}\nx: " + "[".repeat(1001) + "]".repeat(1001), 400,
                        "exceeded max depth of 1000"),
                Arguments.of("POST", cms, "application/vnd.kubernetes.protobuf", "k8s\u0000\u00ff\u00ff", 400, "protobuf"),
                Arguments.of("GET", cms + "?labelSelector=a%20in%20(", null, null, 400, "BadRequest"),
                Arguments.of("GET", cms + "?fieldSelector=spec.nodeName%3D%3Dx", null, null, 400, "field label not supported"));
    }

    @ParameterizedTest(name = "{0} {1} → {4}")
    @MethodSource("badInput")
    void badInputGetsA4xxStatus(String method, String path, String contentType, String body, int code, String text) {
        assertStatus(defaults.send(method, path, contentType, body), code, text);
    }

    /** A Status reply of this code whose message or reason says {@code text}, with no Java in it. */
    static void assertStatus(Reply r, int code, String text) {
        assertThat(r.code()).as(r.body()).isEqualTo(code);
        assertThat(r.body()).doesNotContain("Exception", "\tat ");
        assertThat(r.text("kind")).isEqualTo("Status");
        assertThat(r.text("message") + " " + r.text("reason")).contains(text);
    }

    @Test
    void aPutWithoutTheUrlsNameIsRefused() {
        assertThat(defaults.post("/api/v1/namespaces/default/configmaps", cm("named", 1)).code()).isEqualTo(201);
        Reply r = defaults.put("/api/v1/namespaces/default/configmaps/named", "{\"metadata\":{},\"data\":{}}");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.text("message")).isEqualTo("the name of the object () does not match the name on the URL (named)");
        assertThat(defaults.get("/api/v1/namespaces/default/configmaps/named").text("data", "k")).isEqualTo("x");
    }

    /** Opens a request and returns its status once the headers are in, leaving the body (a watch's stream) unread. */
    static java.net.http.HttpResponse<InputStream> open(String path) throws Exception {
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(java.net.http.HttpRequest.newBuilder(URI.create(small.url() + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void longRunningRequestsOverTheClientsLimitGet429WithRetryAfter() throws Exception {
        String watch = "/api/v1/namespaces/default/configmaps?watch=true";
        var w1 = open(watch);
        var w2 = open(watch);
        assertThat(List.of(w1.statusCode(), w2.statusCode())).containsExactly(200, 200);
        var third = open(watch);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().allValues("Retry-After")).containsExactly("1");
        assertThat(new String(third.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("Too many requests, please try again later.\n");
        // short requests are counted apart
        assertThat(small.get("/api/v1/namespaces/default/configmaps").code()).isEqualTo(200);
        w1.body().close();
        // the closed watch gives its place back once the server notices, at its next write
        int[] n = {0};
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            small.post("/api/v1/namespaces/default/configmaps", cm("wake-" + n[0]++, 1));
            var next = open(watch);
            next.body().close();
            return next.statusCode() == 200;
        });
        w2.body().close();
    }

    @Test
    void requestsOverTheClientsLimitGet429() throws Exception {
        // three requests held in flight: each waits for the rest of a chunked body
        List<Socket> held = new ArrayList<>();
        URI u = URI.create(small.url());
        try {
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket(u.getHost(), u.getPort());
                held.add(s);
                s.getOutputStream().write(("POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> small.get("/api/v1/namespaces/default/configmaps").code() == 429);
            Reply r = small.get("/api/v1/namespaces/default/configmaps");
            assertThat(r.code()).isEqualTo(429);
            assertThat(r.headers("Retry-After")).containsExactly("1");
        } finally {
            for (Socket s : held) s.close();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> small.get("/api/v1/namespaces/default/configmaps").code() == 200);
    }
}
