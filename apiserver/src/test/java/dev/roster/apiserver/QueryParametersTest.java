package dev.roster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.apiserver.TestServer.Reply;
import dev.roster.apiserver.http.GoInts;
import dev.roster.apiserver.http.RestRequest;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every query parameter the API server reads, parsed as upstream parses it: booleans by its query conversion
 * (only "0" and "false" in any case are false), integers as Go's ParseInt with Go's 400 message, option
 * combinations upstream forbids as its 422 on the options kind, {@code pretty} as Go's ParseBool.
 */
class QueryParametersTest {
    static final String CMS = "/api/v1/namespaces/default/configmaps";
    @RegisterExtension
    static final TestServer api = new TestServer();

    @BeforeAll
    static void existingConfigMap() {
        assertThat(api.post(CMS, cm("existing")).code()).isEqualTo(201);
    }

    static String cm(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}}";
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(nullValues = "NULL", value = {
            "watch, true, true", "watch, True, true", "watch, TRUE, true", "watch, 1, true", "watch, t, true",
            "watch, yes, true", "watch, '', true", "watch, false, false", "watch, False, false", "watch, FALSE, false",
            "watch, fAlSe, false", "watch, 0, false", "watch, NULL, false"})
    void booleansAsUpstreamQueryConversion(String name, String value, boolean expected) {
        Map<String, List<String>> q = value == null ? Map.of() : Map.of(name, List.of(value));
        RestRequest req = new RestRequest("GET", "/", q, h -> null, () -> new byte[0]);
        assertThat(req.flag(name)).isEqualTo(expected);
        assertThat(req.optionalFlag(name)).isEqualTo(value == null ? null : expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "NULL", value = {
            "5, 5, NULL", "+5, 5, NULL", "-12, -12, NULL", "007, 7, NULL",
            "9223372036854775807, 9223372036854775807, NULL",
            "abc, 0, 'strconv.ParseInt: parsing \"abc\": invalid syntax'",
            "'', 0, 'strconv.ParseInt: parsing \"\": invalid syntax'",
            "1.5, 0, 'strconv.ParseInt: parsing \"1.5\": invalid syntax'",
            "1_000, 0, 'strconv.ParseInt: parsing \"1_000\": invalid syntax'",
            "' 5', 0, 'strconv.ParseInt: parsing \" 5\": invalid syntax'",
            "٣, 0, 'strconv.ParseInt: parsing \"٣\": invalid syntax'",
            "9223372036854775808, 0, 'strconv.ParseInt: parsing \"9223372036854775808\": value out of range'"})
    void integersAsGoParseInt(String value, long expected, String error) {
        if (error == null) {
            assertThat(GoInts.parseInt64(value)).isEqualTo(expected);
        } else {
            assertThatThrownBy(() -> GoInts.parseInt64(value)).isInstanceOf(GoInts.BadParameter.class).hasMessage(error);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "NULL", value = {"true, true", "1, true", "T, true", "True, true", "yes, NULL", "tRue, NULL",
            "0, false", "F, false", "False, false"})
    void prettyAsGoParseBool(String value, Boolean expected) {
        assertThat(GoInts.parseBool(value)).isEqualTo(expected);
    }

    /** method, path, content type, body, expected code, expected Status message. */
    static Stream<Arguments> refusals() {
        String q = "\"";
        return Stream.of(
                Arguments.of("GET", CMS + "?limit=abc", null, null, 400, "strconv.ParseInt: parsing \"abc\": invalid syntax"),
                Arguments.of("GET", CMS + "?limit=99999999999999999999", null, null, 400,
                        "strconv.ParseInt: parsing \"99999999999999999999\": value out of range"),
                Arguments.of("GET", CMS + "?watch=1&timeoutSeconds=soon", null, null, 400,
                        "strconv.ParseInt: parsing \"soon\": invalid syntax"),
                Arguments.of("GET", CMS + "?resourceVersionMatch=Exact", null, null, 422,
                        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"),
                Arguments.of("GET", CMS + "?resourceVersion=1&resourceVersionMatch=Bogus", null, null, 422,
                        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"Bogus\": supported values: \"Exact\", \"NotOlderThan\", \"\""),
                Arguments.of("GET", CMS + "?resourceVersion=0&resourceVersionMatch=Exact", null, null, 422,
                        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""),
                Arguments.of("GET", CMS + "?sendInitialEvents=true", null, null, 422,
                        "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"),
                Arguments.of("GET", CMS + "?watch=true&resourceVersionMatch=NotOlderThan", null, null, 422,
                        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"),
                Arguments.of("GET", CMS + "?watch=true&sendInitialEvents=true", null, null, 422,
                        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"),
                Arguments.of("POST", CMS + "?dryRun=Some", "application/json", cm("d1"), 422,
                        "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Some\"}: supported values: \"All\""),
                Arguments.of("POST", CMS + "?fieldManager=" + "m".repeat(129), "application/json", cm("d2"), 422,
                        "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: must have at most 128 bytes"),
                Arguments.of("PUT", CMS + "/existing?fieldManager=a%07b", "application/json", cm("existing"), 422,
                        "UpdateOptions.meta.k8s.io \"\" is invalid: fieldManager: Invalid value: \"a\\ab\": invalid character U+0007 (at position 1)"),
                Arguments.of("PATCH", CMS + "/existing?force=true", "application/merge-patch+json", "{}", 422,
                        "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch"),
                Arguments.of("PATCH", CMS + "/existing", "application/apply-patch+yaml", cm("existing"), 422,
                        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"),
                Arguments.of("PATCH", CMS + "/existing?fieldValidation=strict", "application/merge-patch+json", "{}", 422,
                        "PatchOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"strict\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\""),
                Arguments.of("DELETE", CMS + "/existing?propagationPolicy=Sideways", null, null, 422,
                        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Sideways\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""),
                Arguments.of("DELETE", CMS + "/existing?orphanDependents=true&propagationPolicy=Orphan", null, null, 422,
                        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"Orphan\": orphanDependents and deletionPropagation cannot be both set"),
                Arguments.of("DELETE", CMS + "/existing?dryRun=All&dryRun=Later", null, null, 422,
                        "DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"All\", \"Later\"}: supported values: \"All\""),
                Arguments.of("DELETE", CMS + "/existing?gracePeriodSeconds=soon", null, null, 400,
                        "strconv.ParseInt: parsing \"soon\": invalid syntax"),
                Arguments.of("GET", "/api/v1/namespaces/default/pods/p/log?tailLines=-1", null, null, 422,
                        "PodLogOptions " + q + "p" + q + " is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0"),
                Arguments.of("GET", "/api/v1/namespaces/default/pods/p/log?limitBytes=0", null, null, 422,
                        "PodLogOptions \"p\" is invalid: limitBytes: Invalid value: 0: must be greater than 0"),
                Arguments.of("GET", "/api/v1/namespaces/default/pods/p/log?sinceSeconds=x", null, null, 400,
                        "strconv.ParseInt: parsing \"x\": invalid syntax"));
    }

    @ParameterizedTest(name = "{0} {1} -> {4}")
    @MethodSource("refusals")
    void badValuesGetUpstreamsStatus(String method, String path, String contentType, String body, int code, String message) {
        Reply r = api.send(method, path, contentType, body);
        assertThat(r.code()).as(r.body()).isEqualTo(code);
        assertThat(r.text("kind")).isEqualTo("Status");
        assertThat(r.text("message")).isEqualTo(message);
        // nothing was written: the object the refused writes named is as it was
        assertThat(api.get(CMS + "/existing").code()).isEqualTo(200);
        assertThat(api.get(CMS + "/d1").code()).isEqualTo(404);
    }

    @Test
    void refusedOptionsNameTheirKindInDetails() {
        JsonNode d = api.send("DELETE", CMS + "/existing?propagationPolicy=Sideways", null, null).json().path("details");
        assertThat(d.path("group").asString()).isEqualTo("meta.k8s.io");
        assertThat(d.path("kind").asString()).isEqualTo("DeleteOptions");
        assertThat(d.has("name")).isFalse();
        assertThat(d.path("causes").get(0).path("reason").asString()).isEqualTo("FieldValueNotSupported");
        assertThat(d.path("causes").get(0).path("field").asString()).isEqualTo("propagationPolicy");
    }

    @ParameterizedTest(name = "watch={0}")
    @CsvSource({"True", "1", "t", "yes"})
    void anyTrueSpellingOpensAWatch(String value) throws Exception {
        try (TestServer.WatchStream w = api.watch(CMS + "?watch=" + value)) {
            JsonNode first = w.next(5_000);
            assertThat(first).isNotNull();
            assertThat(first.path("type").asString()).isEqualTo("ADDED");
            assertThat(first.path("object").path("metadata").path("name").asString()).isEqualTo("existing");
        }
    }

    @ParameterizedTest(name = "watch={0}")
    @CsvSource({"false", "False", "0"})
    void falseSpellingsList(String value) {
        Reply r = api.get(CMS + "?watch=" + value);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.text("kind")).isEqualTo("ConfigMapList");
    }

    @Test
    void sendInitialEventsFalseStartsAtTheNewestState() throws Exception {
        try (TestServer.WatchStream w = api.watch(CMS + "?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan")) {
            assertThat(api.post(CMS, cm("later")).code()).isEqualTo(201);
            JsonNode first = w.next(5_000);
            assertThat(first.path("type").asString()).isEqualTo("ADDED");
            assertThat(first.path("object").path("metadata").path("name").asString()).isEqualTo("later");
        }
        assertThat(api.delete(CMS + "/later").code()).isEqualTo(200);
    }

    @ParameterizedTest(name = "pretty={0}")
    @CsvSource({"true, true", "1, true", "True, true", "yes, false", "0, false"})
    void prettyIndentsJson(String value, boolean indented) {
        Reply r = api.get(CMS + "/existing?pretty=" + value);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body().contains("\n  \"")).isEqualTo(indented);
        assertThat(r.text("metadata", "name")).isEqualTo("existing");
    }

    @Test
    void prettyIndentsErrorsToo() {
        Reply r = api.get(CMS + "/missing?pretty=true");
        assertThat(r.code()).isEqualTo(404);
        assertThat(r.body()).contains("\n  \"kind\"");
    }
}
