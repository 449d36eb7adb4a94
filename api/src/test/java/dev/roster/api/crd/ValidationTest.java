package dev.roster.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.StatusMessages;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Custom resources against their schema: each case's messages are upstream's (kube-openapi's texts as the API
 * server turns them into field errors); the golden file {@code crd/validation.golden} holds every case's causes.
 */
class ValidationTest {

    record Case(String name, String schema, String object, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static ObjectNode json(String text) {
        return (ObjectNode) Json.parse(text.replace('\'', '"'));
    }

    static CustomResourceSchema schema(String text) {
        Result<CustomResourceSchema> r = CustomResourceSchema.of(json(text), "spec.versions[0].schema.openAPIV3Schema");
        assertThat(r.errors()).as("schema is valid").isEmpty();
        return r.value();
    }

    static String spec(String properties) {
        return "{'type':'object','properties':{'spec':{'type':'object','properties':" + properties + "}}}";
    }

    static final List<Case> CASES = List.of(
            new Case("valid object", spec("{'replicas':{'type':'integer','minimum':1}}"), "{'spec':{'replicas':3}}", List.of()),
            new Case("wrong type", spec("{'replicas':{'type':'integer'}}"), "{'spec':{'replicas':'three'}}",
                    List.of("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"")),
            new Case("float for integer", spec("{'replicas':{'type':'integer'}}"), "{'spec':{'replicas':1.5}}",
                    List.of("spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\"")),
            new Case("whole float for integer", spec("{'replicas':{'type':'integer'}}"), "{'spec':{'replicas':2.0}}", List.of()),
            new Case("integer for number", spec("{'ratio':{'type':'number'}}"), "{'spec':{'ratio':2}}", List.of()),
            new Case("null not nullable", spec("{'name':{'type':'string'}}"), "{'spec':{'name':null}}",
                    List.of("spec.name: Invalid value: \"null\": spec.name in body must be of type string: \"null\"")),
            new Case("null nullable", spec("{'name':{'type':'string','nullable':true}}"), "{'spec':{'name':null}}", List.of()),
            new Case("required", "{'type':'object','required':['spec'],'properties':{'spec':{'type':'object',"
                    + "'required':['image','port'],'properties':{'image':{'type':'string'},'port':{'type':'integer'}}}}}",
                    "{'spec':{'port':80}}", List.of("spec.image: Required value")),
            new Case("required at root", "{'type':'object','required':['spec'],'properties':{'spec':{'type':'object'}}}",
                    "{'kind':'X'}", List.of("spec: Required value")),
            new Case("enum", spec("{'mode':{'type':'string','enum':['Fast','Slow']}}"), "{'spec':{'mode':'Medium'}}",
                    List.of("spec.mode: Unsupported value: \"Medium\": supported values: \"Fast\", \"Slow\"")),
            new Case("enum of numbers", spec("{'level':{'type':'integer','enum':[1,2]}}"), "{'spec':{'level':3}}",
                    List.of("spec.level: Unsupported value: 3: supported values: \"1\", \"2\"")),
            new Case("minimum", spec("{'replicas':{'type':'integer','minimum':1}}"), "{'spec':{'replicas':0}}",
                    List.of("spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1")),
            new Case("exclusive maximum", spec("{'ratio':{'type':'number','maximum':1,'exclusiveMaximum':true}}"),
                    "{'spec':{'ratio':1.0}}", List.of("spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1")),
            new Case("maximum of a float prints like Go", spec("{'size':{'type':'number','maximum':1000000}}"),
                    "{'spec':{'size':2500000.5}}",
                    List.of("spec.size: Invalid value: 2.5000005e+06: spec.size in body should be less than or equal to 1e+06")),
            new Case("exclusive minimum", spec("{'n':{'type':'integer','minimum':0,'exclusiveMinimum':true}}"), "{'spec':{'n':0}}",
                    List.of("spec.n: Invalid value: 0: spec.n in body should be greater than 0")),
            new Case("multipleOf", spec("{'n':{'type':'integer','multipleOf':5}}"), "{'spec':{'n':12}}",
                    List.of("spec.n: Invalid value: 12: spec.n in body should be a multiple of 5")),
            new Case("multipleOf fraction", spec("{'x':{'type':'number','multipleOf':0.5}}"), "{'spec':{'x':1.25}}",
                    List.of("spec.x: Invalid value: 1.25: spec.x in body should be a multiple of 0.5")),
            new Case("maxLength", spec("{'name':{'type':'string','maxLength':3}}"), "{'spec':{'name':'abcd'}}",
                    List.of("spec.name: Too long: may not be longer than 3")),
            new Case("minLength counts characters", spec("{'name':{'type':'string','minLength':3}}"), "{'spec':{'name':'é'}}",
                    List.of("spec.name: Invalid value: \"é\": spec.name in body should be at least 3 chars long")),
            new Case("pattern", spec("{'name':{'type':'string','pattern':'^[a-z]+$'}}"), "{'spec':{'name':'ABC'}}",
                    List.of("spec.name: Invalid value: \"ABC\": spec.name in body should match '^[a-z]+$'")),
            new Case("unanchored pattern matches anywhere", spec("{'name':{'type':'string','pattern':'[0-9]'}}"),
                    "{'spec':{'name':'a1b'}}", List.of()),
            new Case("format email", spec("{'mail':{'type':'string','format':'email'}}"), "{'spec':{'mail':'nobody'}}",
                    List.of("spec.mail: Invalid value: \"nobody\": spec.mail in body must be of type email: \"nobody\"")),
            new Case("format date-time", spec("{'at':{'type':'string','format':'date-time'}}"), "{'spec':{'at':'2024-13-01T00:00:00Z'}}",
                    List.of("spec.at: Invalid value: \"2024-13-01T00:00:00Z\": spec.at in body must be of type date-time: \"2024-13-01T00:00:00Z\"")),
            new Case("format ipv4", spec("{'ip':{'type':'string','format':'ipv4'}}"), "{'spec':{'ip':'10.0.0.300'}}",
                    List.of("spec.ip: Invalid value: \"10.0.0.300\": spec.ip in body must be of type ipv4: \"10.0.0.300\"")),
            new Case("unknown format ignored", spec("{'x':{'type':'string','format':'made-up'}}"), "{'spec':{'x':'anything'}}", List.of()),
            new Case("valid formats", spec("{'a':{'type':'string','format':'uuid'},'b':{'type':'string','format':'date'},"
                    + "'c':{'type':'string','format':'cidr'},'d':{'type':'string','format':'byte'},'e':{'type':'string','format':'duration'},"
                    + "'f':{'type':'string','format':'quantity'},'g':{'type':'string','format':'ipv6'},'h':{'type':'string','format':'hostname'}}"),
                    "{'spec':{'a':'123e4567-e89b-12d3-a456-426614174000','b':'2024-02-29','c':'10.0.0.0/8','d':'aGVsbG8=',"
                    + "'e':'1h30m','f':'500Mi','g':'fd00::1','h':'example.com'}}", List.of()),
            new Case("int-or-string", spec("{'port':{'x-kubernetes-int-or-string':true,"
                    + "'anyOf':[{'type':'integer'},{'type':'string'}]}}"), "{'spec':{'port':true}}",
                    List.of("spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"",
                            ": Invalid value: \"\": \"spec.port\" must validate at least one schema (anyOf)",
                            "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer: \"boolean\"")),
            new Case("int-or-string accepts both", spec("{'a':{'x-kubernetes-int-or-string':true},'b':{'x-kubernetes-int-or-string':true}}"),
                    "{'spec':{'a':80,'b':'http'}}", List.of()),
            new Case("items", spec("{'ports':{'type':'array','items':{'type':'object','required':['port'],"
                    + "'properties':{'port':{'type':'integer','maximum':65535}}}}}"), "{'spec':{'ports':[{'port':80},{'port':70000},{}]}}",
                    List.of("spec.ports[1].port: Invalid value: 70000: spec.ports[1].port in body should be less than or equal to 65535",
                            "spec.ports[2].port: Required value")),
            new Case("minItems and maxItems", spec("{'a':{'type':'array','minItems':2,'items':{'type':'string'}},"
                    + "'b':{'type':'array','maxItems':1,'items':{'type':'string'}}}"), "{'spec':{'a':['x'],'b':['x','y']}}",
                    List.of("spec.a: Invalid value: 1: spec.a in body should have at least 2 items",
                            "spec.b: Too many: 2: must have at most 1 items")),
            new Case("min and max properties", spec("{'a':{'type':'object','minProperties':1,'additionalProperties':{'type':'string'}},"
                    + "'b':{'type':'object','maxProperties':1,'additionalProperties':{'type':'string'}}}"),
                    "{'spec':{'a':{},'b':{'x':'1','y':'2'}}}",
                    List.of("spec.a: Invalid value: 0: spec.a in body should have at least 1 properties",
                            "spec.b: Too many: 2: must have at most 1 items")),
            new Case("additionalProperties schema", spec("{'labels':{'type':'object','additionalProperties':{'type':'string'}}}"),
                    "{'spec':{'labels':{'a':'x','b':1}}}",
                    List.of("spec.labels.b: Invalid value: \"integer\": spec.labels.b in body must be of type string: \"integer\"")),
            new Case("list-type set duplicates", spec("{'tags':{'type':'array','x-kubernetes-list-type':'set','items':{'type':'string'}}}"),
                    "{'spec':{'tags':['a','b','a','a']}}",
                    List.of("spec.tags[2]: Duplicate value: \"a\"", "spec.tags[3]: Duplicate value: \"a\"")),
            new Case("list-type map duplicates", spec("{'ports':{'type':'array','x-kubernetes-list-type':'map',"
                    + "'x-kubernetes-list-map-keys':['name','protocol'],'items':{'type':'object','required':['name','protocol'],"
                    + "'properties':{'name':{'type':'string'},'protocol':{'type':'string'},'port':{'type':'integer'}}}}}"),
                    "{'spec':{'ports':[{'name':'a','protocol':'TCP','port':1},{'name':'a','protocol':'UDP'},{'name':'a','protocol':'TCP','port':2}]}}",
                    List.of("spec.ports[2]: Duplicate value: map[string]interface {}{\"name\":\"a\", \"protocol\":\"TCP\"}")),
            new Case("list-type atomic allows duplicates", spec("{'tags':{'type':'array','x-kubernetes-list-type':'atomic',"
                    + "'items':{'type':'string'}}}"), "{'spec':{'tags':['a','a']}}", List.of()),
            new Case("embedded resource", spec("{'template':{'type':'object','x-kubernetes-embedded-resource':true,"
                    + "'x-kubernetes-preserve-unknown-fields':true}}"), "{'spec':{'template':{'apiVersion':'a/b/c','spec':{}}}}",
                    List.of("spec.template.kind: Required value",
                            "spec.template.apiVersion: Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c")),
            new Case("embedded resource kind and metadata", spec("{'template':{'type':'object','x-kubernetes-embedded-resource':true,"
                    + "'x-kubernetes-preserve-unknown-fields':true}}"),
                    "{'spec':{'template':{'apiVersion':'v1','kind':'My_Kind','metadata':{'name':'a/b','labels':{'k':'-x'}}}}}",
                    List.of("spec.template.kind: Invalid value: \"My_Kind\": may have mixed case, but should otherwise match: a DNS-1035 "
                            + "label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, "
                            + "and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
                            + "'[a-z]([-a-z0-9]*[a-z0-9])?')",
                            "spec.template.metadata.name: Invalid value: \"a/b\": may not contain '/'",
                            "spec.template.metadata.labels: Invalid value: \"-x\": a valid label must be an empty string or consist of "
                            + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                            + "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                            + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")),
            new Case("several errors keep schema order", spec("{'a':{'type':'string'},'b':{'type':'integer','minimum':5}}"),
                    "{'spec':{'b':1,'a':2}}",
                    List.of("spec.a: Invalid value: \"integer\": spec.a in body must be of type string: \"integer\"",
                            "spec.b: Invalid value: 1: spec.b in body should be greater than or equal to 5")));

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void messagesAreUpstreams(Case c) {
        List<String> messages = schema(c.schema()).validate(json(c.object())).stream().map(FieldError::message).toList();
        assertThat(messages).containsExactlyElementsOf(c.expected());
    }

    @Test
    void causesMatchGolden() throws IOException {
        StringBuilder out = new StringBuilder();
        for (Case c : CASES) {
            List<FieldError> errors = schema(c.schema()).validate(json(c.object()));
            out.append("# ").append(c.name()).append('\n');
            for (FieldError e : errors) out.append(e.type().reason).append(' ').append(e.message()).append('\n');
            if (!errors.isEmpty()) out.append(StatusMessages.invalid("Widget.example.com", "w", errors)).append('\n');
        }
        GoldenFile.assertMatches("validation.golden", out.toString());
    }

    static Stream<Arguments> reasons() {
        return Stream.of(
                Arguments.of("{'spec':{'replicas':'x'}}", FieldError.Type.TYPE_INVALID),
                Arguments.of("{'spec':{'replicas':0}}", FieldError.Type.INVALID),
                Arguments.of("{'spec':{}}", FieldError.Type.REQUIRED));
    }

    @ParameterizedTest
    @MethodSource("reasons")
    void reasonsAreUpstreams(String object, FieldError.Type type) {
        CustomResourceSchema s = schema(spec("{'replicas':{'type':'integer','minimum':1}}").replace("'type':'object','properties':{'replicas'",
                "'type':'object','required':['replicas'],'properties':{'replicas'"));
        assertThat(s.validate(json(object))).extracting(FieldError::type).containsExactly(type);
    }
}
