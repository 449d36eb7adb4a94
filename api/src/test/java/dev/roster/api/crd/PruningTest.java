package dev.roster.api.crd;

import static dev.roster.api.crd.ValidationTest.json;
import static dev.roster.api.crd.ValidationTest.schema;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** Unknown fields are dropped as upstream prunes them; preserved and embedded parts keep theirs. */
class PruningTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("unknown fields dropped at every level",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'a':{'type':'string'}}}}}",
                        "{'apiVersion':'x/v1','kind':'W','metadata':{'name':'w'},'extra':1,'spec':{'a':'x','b':2}}",
                        "{'apiVersion':'x/v1','kind':'W','metadata':{'name':'w'},'spec':{'a':'x'}}"),
                Arguments.of("preserve-unknown-fields keeps unknown and prunes known subtrees",
                        "{'type':'object','properties':{'spec':{'type':'object','x-kubernetes-preserve-unknown-fields':true,"
                                + "'properties':{'known':{'type':'object','properties':{'a':{'type':'string'}}}}}}}",
                        "{'spec':{'free':{'any':[1,{'x':2}]},'known':{'a':'x','b':'y'}}}",
                        "{'spec':{'free':{'any':[1,{'x':2}]},'known':{'a':'x'}}}"),
                Arguments.of("preserve-unknown-fields at the root",
                        "{'type':'object','x-kubernetes-preserve-unknown-fields':true}",
                        "{'spec':{'anything':true},'status':{}}",
                        "{'spec':{'anything':true},'status':{}}"),
                Arguments.of("items are pruned",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'list':{'type':'array',"
                                + "'items':{'type':'object','properties':{'n':{'type':'integer'}}}}}}}}",
                        "{'spec':{'list':[{'n':1,'x':2},{'y':3}]}}",
                        "{'spec':{'list':[{'n':1},{}]}}"),
                Arguments.of("additionalProperties schemas prune their values",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'m':{'type':'object',"
                                + "'additionalProperties':{'type':'object','properties':{'v':{'type':'string'}}}}}}}}",
                        "{'spec':{'m':{'a':{'v':'1','w':'2'},'b':{}}}}",
                        "{'spec':{'m':{'a':{'v':'1'},'b':{}}}}"),
                Arguments.of("embedded resources keep apiVersion, kind and metadata",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'template':{'type':'object',"
                                + "'x-kubernetes-embedded-resource':true,'properties':{'spec':{'type':'object'}}}}}}}",
                        "{'spec':{'template':{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','bogus':1},'spec':{'x':1},'junk':1}}}",
                        "{'spec':{'template':{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{}}}}"),
                Arguments.of("apiVersion and kind below the root are ordinary fields",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'a':{'type':'string'}}}}}",
                        "{'spec':{'kind':'x','metadata':{}}}",
                        "{'spec':{}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void prunesLikeUpstream(String name, String schema, String object, String expected) {
        ObjectNode o = json(object);
        schema(schema).prune(o);
        assertThat(o).isEqualTo(json(expected));
    }
}
