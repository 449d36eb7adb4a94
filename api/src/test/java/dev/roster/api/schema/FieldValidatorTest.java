package dev.roster.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Unknown and repeated fields, with paths written as upstream's strict decoding errors write them. */
class FieldValidatorTest {
    private static final Schema DEPLOYMENT = SchemaCatalog.builtin().kind("apps", "v1", "Deployment");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{'spec':{'replicas':1}}|",
        "{'spec':{'foo':1}}|spec.foo",
        "{'metadata':{'labels':{'any':'x'},'annotations':{'b':'c'}}}|",
        "{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b','x':1}]}}}}|spec.template.spec.containers[1].x",
        "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':'25%','maxUnavailable':1}}}}|",
        "{'spec':{'template':{'spec':{'containers':[{'name':'a','resources':{'limits':{'cpu':1,'memory':'1Gi'}}}]}}}}|",
        "{'metadata':{'managedFields':[{'fieldsV1':{'f:spec':{'f:x':{}}}}]}}|",
        "{'a':1,'status':{'b':2}}|a;status.b",
        "{'spec':'not an object'}|",
    })
    void unknownFields(String json, String expected) {
        JsonNode doc = Json.parse(json.replace('\'', '"'));
        assertThat(String.join(";", FieldValidator.unknownFields(DEPLOYMENT, doc))).isEqualTo(expected == null ? "" : expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{'a':1,'b':2}|",
        "{'a':1,'a':2}|a",
        "{'spec':{'r':1,'r':2},'spec':{}}|spec.r;spec",
        "{'l':[{'n':1},{'n':1,'n':2}]}|l[1].n",
        "{'l':[[{'x':1,'x':1}]]}|l[0][0].x",
        "{'a':{'b':1},'c':{'b':1}}|",
    })
    void duplicateFields(String json, String expected) {
        byte[] bytes = json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        assertThat(String.join(";", FieldValidator.duplicateFields(bytes))).isEqualTo(expected == null ? "" : expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"{'spec':{'foo':1,'replicas':2}}|{\"spec\":{\"replicas\":2}}"})
    void pruningRemovesWhatItReports(String json, String expected) {
        JsonNode doc = Json.parse(json.replace('\'', '"'));
        assertThat(FieldValidator.unknownFields(DEPLOYMENT, doc, true)).containsExactly("spec.foo");
        assertThat(Json.text(doc)).isEqualTo(expected);
    }
}
