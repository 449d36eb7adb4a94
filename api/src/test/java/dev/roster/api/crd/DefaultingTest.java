package dev.roster.api.crd;

import static dev.roster.api.crd.ValidationTest.json;
import static dev.roster.api.crd.ValidationTest.schema;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** Defaults fill absent fields top-down, and nulls of non-nullable fields, as upstream's defaulting does. */
class DefaultingTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("absent scalar",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'replicas':{'type':'integer','default':1}}}}}",
                        "{'spec':{}}", "{'spec':{'replicas':1}}"),
                Arguments.of("present value kept",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'replicas':{'type':'integer','default':1}}}}}",
                        "{'spec':{'replicas':5}}", "{'spec':{'replicas':5}}"),
                Arguments.of("absent parent without default gets nothing",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'replicas':{'type':'integer','default':1}}}}}",
                        "{}", "{}"),
                Arguments.of("defaulted object is defaulted below (top-down)",
                        "{'type':'object','properties':{'spec':{'type':'object','default':{},'properties':{"
                                + "'mode':{'type':'string','default':'Fast'},'inner':{'type':'object','default':{'a':1},"
                                + "'properties':{'a':{'type':'integer'},'b':{'type':'integer','default':2}}}}}}}",
                        "{}", "{'spec':{'mode':'Fast','inner':{'a':1,'b':2}}}"),
                Arguments.of("null of a non-nullable field is defaulted",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'mode':{'type':'string','default':'Fast'}}}}}",
                        "{'spec':{'mode':null}}", "{'spec':{'mode':'Fast'}}"),
                Arguments.of("null of a field neither nullable nor defaulted is dropped",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'name':{'type':'string'},"
                                + "'tags':{'type':'array','items':{'type':'string'}}}}}}",
                        "{'spec':{'name':null,'tags':[null]},'free':null}", "{'spec':{'tags':[null]},'free':null}"),
                Arguments.of("null of a nullable field stays",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'mode':{'type':'string','nullable':true,"
                                + "'default':'Fast'}}}}}",
                        "{'spec':{'mode':null}}", "{'spec':{'mode':null}}"),
                Arguments.of("array items",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'ports':{'type':'array','items':{"
                                + "'type':'object','properties':{'protocol':{'type':'string','default':'TCP'}}}}}}}}",
                        "{'spec':{'ports':[{},{'protocol':'UDP'}]}}", "{'spec':{'ports':[{'protocol':'TCP'},{'protocol':'UDP'}]}}"),
                Arguments.of("null items take the items' default",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'names':{'type':'array','items':{"
                                + "'type':'string','default':'x'}}}}}}",
                        "{'spec':{'names':['a',null]}}", "{'spec':{'names':['a','x']}}"),
                Arguments.of("additionalProperties values",
                        "{'type':'object','properties':{'spec':{'type':'object','properties':{'m':{'type':'object',"
                                + "'additionalProperties':{'type':'object','properties':{'on':{'type':'boolean','default':true}}}}}}}}",
                        "{'spec':{'m':{'a':{},'b':{'on':false}}}}", "{'spec':{'m':{'a':{'on':true},'b':{'on':false}}}}"),
                Arguments.of("default is copied, not shared",
                        "{'type':'object','properties':{'a':{'type':'object','default':{'x':1},'properties':{'x':{'type':'integer'}}},"
                                + "'b':{'type':'object','default':{'x':1},'properties':{'x':{'type':'integer'}}}}}",
                        "{}", "{'a':{'x':1},'b':{'x':1}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void defaultsLikeUpstream(String name, String schema, String object, String expected) {
        ObjectNode o = json(object);
        schema(schema).applyDefaults(o);
        assertThat(o).isEqualTo(json(expected));
    }
}
