package dev.roster.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** DefaultTolerationSeconds: which of the two 300 s NoExecute tolerations a pod gets, given the ones it has. */
class DefaultTolerationsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "[]                                                                       | not-ready,unreachable",
            "[{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoExecute'}] | unreachable",
            "[{'key':'node.kubernetes.io/unreachable','operator':'Exists'}]            | not-ready",
            "[{'operator':'Exists'}]                                                   | ''",
            "[{'operator':'Exists','effect':'NoExecute'}]                              | ''",
            "[{'operator':'Exists','effect':'NoSchedule'}]                             | not-ready,unreachable",
            "[{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoSchedule'}] | not-ready,unreachable",
    })
    void addsTheMissingOnes(String tolerations, String added) {
        ObjectNode pod = (ObjectNode) Json.parse(("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'i'}],"
                + "'tolerations':" + tolerations + "}}").replace('\'', '"'));
        int before = pod.at("/spec/tolerations").size();
        Defaulting.apply(ValidationTest.type("pods"), pod);
        List<String> got = new ArrayList<>();
        JsonNode all = pod.at("/spec/tolerations");
        for (int i = before; i < all.size(); i++) {
            JsonNode t = all.get(i);
            assertThat(t.get("operator").asString()).isEqualTo("Exists");
            assertThat(t.get("effect").asString()).isEqualTo("NoExecute");
            assertThat(t.get("tolerationSeconds").asInt()).isEqualTo(300);
            got.add(t.get("key").asString().replace("node.kubernetes.io/", ""));
        }
        assertThat(String.join(",", got)).isEqualTo(added);
    }
}
