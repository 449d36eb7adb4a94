package dev.roster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.apiserver.TestServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** fieldValidation=Strict|Warn|Ignore on create, update and patch, with upstream's texts. */
class FieldValidationTest {
    @RegisterExtension
    static final TestServer api = new TestServer();
    static final String CM = "/api/v1/namespaces/default/configmaps";
    static final String DEPLOY = "/apis/apps/v1/namespaces/default/deployments";

    static String deployment(String name, String extraSpec) {
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{" + extraSpec + "\"selector\":{\"matchLabels\":{\"app\":\"a\"}},"
                + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"a\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"bogus\":1}]}}}}";
    }

    @Test
    void strictCreateFailsWithEveryUnknownField() {
        Reply r = api.post(DEPLOY + "?fieldValidation=Strict", deployment("strict", "\"foo\":1,\"bar\":{\"x\":1},"));
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.text("reason")).isEqualTo("BadRequest");
        assertThat(r.text("message")).isEqualTo("Deployment in version \"v1\" cannot be handled as a Deployment: "
                + "strict decoding error: unknown field \"spec.foo\", unknown field \"spec.bar\", "
                + "unknown field \"spec.template.spec.containers[0].bogus\"");
        assertThat(api.get(DEPLOY + "/strict").code()).isEqualTo(404);
    }

    @Test
    void warnIsTheDefaultAndDropsTheFields() {
        Reply r = api.post(DEPLOY, deployment("warned", "\"foo\":1,"));
        assertThat(r.code()).isEqualTo(201);
        assertThat(r.headers("Warning")).containsExactly("299 - \"unknown field \\\"spec.foo\\\"\", "
                + "299 - \"unknown field \\\"spec.template.spec.containers[0].bogus\\\"\"");
        assertThat(r.json().path("spec").has("foo")).isFalse();
        assertThat(api.get(DEPLOY + "/warned").json().path("spec").has("foo")).isFalse();
    }

    @Test
    void ignoreSaysNothing() {
        Reply r = api.post(DEPLOY + "?fieldValidation=Ignore", deployment("ignored", "\"foo\":1,"));
        assertThat(r.code()).isEqualTo(201);
        assertThat(r.headers("Warning")).isEmpty();
        assertThat(r.json().path("spec").has("foo")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Strict|400|strict decoding error: duplicate field \"data.a\"",
        "Warn|201|",
        "Ignore|201|",
    })
    void duplicateFields(String mode, int code, String message) {
        String name = "dup-" + mode.toLowerCase();
        Reply r = api.post(CM + "?fieldValidation=" + mode,
                "{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"a\":\"1\",\"a\":\"2\"}}");
        assertThat(r.code()).isEqualTo(code);
        if (code == 400) {
            assertThat(r.text("message")).isEqualTo("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: " + message);
        } else {
            assertThat(api.get(CM + "/" + name).text("data", "a")).isEqualTo("2");
            assertThat(r.headers("Warning")).isEqualTo(mode.equals("Warn")
                    ? java.util.List.of("299 - \"duplicate field \\\"data.a\\\"\"") : java.util.List.of());
        }
    }

    @Test
    void yamlBodiesAreCheckedToo() {
        Reply r = api.send("POST", CM + "?fieldValidation=Strict", "application/yaml",
                "metadata:\n  name: yaml-dup\ndata:\n  a: '1'\n  a: '2'\nextra: 1\n");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.text("message")).isEqualTo("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: "
                + "strict decoding error: unknown field \"extra\", duplicate field \"a\"");
    }

    @Test
    void mapsAndIntOrStringAreNotUnknownFields() {
        Reply r = api.post("/api/v1/namespaces/default/services?fieldValidation=Strict",
                "{\"metadata\":{\"name\":\"svc\",\"labels\":{\"any\":\"x\"},\"annotations\":{\"b\":\"y\"}},"
                + "\"spec\":{\"selector\":{\"k\":\"v\"},\"ports\":[{\"port\":80,\"targetPort\":\"http\"}]}}");
        assertThat(r.code()).as(r.body()).isEqualTo(201);
        assertThat(r.headers("Warning")).isEmpty();
    }

    @Test
    void updateAndPatchAreChecked() {
        assertThat(api.post(CM, "{\"metadata\":{\"name\":\"upd\"},\"data\":{\"a\":\"1\"}}").code()).isEqualTo(201);
        Reply put = api.put(CM + "/upd?fieldValidation=Strict", "{\"metadata\":{\"name\":\"upd\"},\"dta\":{}}");
        assertThat(put.code()).isEqualTo(400);
        assertThat(put.text("message")).isEqualTo(
                "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"dta\"");

        for (String type : new String[] {"application/merge-patch+json", "application/strategic-merge-patch+json"}) {
            Reply strict = api.patch(CM + "/upd?fieldValidation=Strict", type, "{\"spec\":{\"x\":1}}");
            assertThat(strict.code()).as(type).isEqualTo(400);
            assertThat(strict.text("message")).isEqualTo("strict decoding error: unknown field \"spec\"");
            Reply warn = api.patch(CM + "/upd?fieldValidation=Warn", type, "{\"data\":{\"b\":\"2\"},\"spec\":{\"x\":1}}");
            assertThat(warn.code()).isEqualTo(200);
            assertThat(warn.headers("Warning")).containsExactly("299 - \"unknown field \\\"spec\\\"\"");
            assertThat(warn.json().has("spec")).isFalse();
        }
        Reply jsonPatch = api.patch(CM + "/upd?fieldValidation=Strict", "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/extra\",\"value\":1}]");
        assertThat(jsonPatch.code()).isEqualTo(400);
        assertThat(jsonPatch.text("message")).isEqualTo("strict decoding error: unknown field \"extra\"");
    }

    @Test
    void unsupportedModeIsRejected() {
        Reply r = api.post(CM + "?fieldValidation=Loose", "{\"metadata\":{\"name\":\"loose\"}}");
        assertThat(r.code()).isEqualTo(422);
        assertThat(r.text("message")).isEqualTo("CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: "
                + "\"Loose\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"");
    }
}
