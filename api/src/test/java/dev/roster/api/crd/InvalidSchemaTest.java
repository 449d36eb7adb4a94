package dev.roster.api.crd;

import static dev.roster.api.crd.ValidationTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.StatusMessages;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schemas that make a CRD invalid, with upstream's causes under the version's schema path; the golden file
 * {@code crd/invalid-schemas.golden} keeps every case's causes and the 422 message kubectl prints.
 */
class InvalidSchemaTest {
    static final String AT = "spec.versions[0].schema.openAPIV3Schema";

    record Case(String name, String schema, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Case> CASES = List.of(
            new Case("valid", "{'type':'object','properties':{'spec':{'type':'object','properties':{'a':{'type':'string','default':'x'}}}}}",
                    List.of()),
            new Case("root type missing", "{'properties':{'spec':{'type':'object'}}}",
                    List.of(AT + ".type: Required value: must not be empty at the root")),
            new Case("root type not object", "{'type':'string'}",
                    List.of(AT + ".type: Invalid value: \"string\": must be object at the root")),
            new Case("field and items types missing, sorted by text",
                    "{'type':'object','properties':{'spec':{'type':'object','properties':{'b':{},'a':{'type':'array','items':{}}}}}}",
                    List.of(AT + ".properties[spec].properties[a].items.type: Required value: must not be empty for specified array items",
                            AT + ".properties[spec].properties[b].type: Required value: must not be empty for specified object fields")),
            new Case("array without items", "{'type':'object','properties':{'list':{'type':'array'}}}",
                    List.of(AT + ".properties[list].items: Required value: must be specified")),
            new Case("additionalProperties at the root", "{'type':'object','additionalProperties':{'type':'string'}}",
                    List.of(AT + ".additionalProperties: Forbidden: must not be used at the root")),
            new Case("nullable root", "{'type':'object','nullable':true}",
                    List.of(AT + ".nullable: Forbidden: nullable cannot be true at the root")),
            new Case("type inside anyOf", "{'type':'object','properties':{'a':{'type':'string','anyOf':[{'type':'string'},{'pattern':'x'}]}}}",
                    List.of(AT + ".properties[a].anyOf[0].type: Forbidden: must be empty to be structural")),
            new Case("default and description inside allOf",
                    "{'type':'object','properties':{'a':{'type':'string','allOf':[{'default':'x','description':'d'}]}}}",
                    List.of(AT + ".properties[a].allOf[0].default: Forbidden: must be undefined to be structural",
                            AT + ".properties[a].allOf[0].description: Forbidden: must be empty to be structural")),
            new Case("int-or-string anyOf is allowed", "{'type':'object','properties':{'port':{'x-kubernetes-int-or-string':true,"
                    + "'anyOf':[{'type':'integer'},{'type':'string'}]}}}", List.of()),
            new Case("embedded resource must be object", "{'type':'object','properties':{'t':{'x-kubernetes-embedded-resource':true,"
                    + "'x-kubernetes-preserve-unknown-fields':true}}}",
                    List.of(AT + ".properties[t].type: Required value: must be object if x-kubernetes-embedded-resource is true")),
            new Case("embedded resource needs properties or preserve", "{'type':'object','properties':{'t':{'type':'object',"
                    + "'x-kubernetes-embedded-resource':true}}}",
                    List.of(AT + ".properties[t].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true "
                            + "without x-kubernetes-preserve-unknown-fields")),
            new Case("metadata only narrows name", "{'type':'object','properties':{'metadata':{'type':'object','properties':{"
                    + "'labels':{'type':'object'}}}}}",
                    List.of(AT + ".properties[metadata]: Forbidden: must not specify anything other than name and generateName, "
                            + "but metadata is implicitly specified")),
            new Case("metadata name restriction is fine", "{'type':'object','properties':{'metadata':{'type':'object','properties':{"
                    + "'name':{'type':'string','maxLength':20}}}}}", List.of()),
            new Case("kind must be string", "{'type':'object','properties':{'kind':{'type':'integer'}}}",
                    List.of(AT + ".properties[kind].type: Invalid value: \"integer\": must be string")),
            new Case("preserve-unknown-fields false", "{'type':'object','x-kubernetes-preserve-unknown-fields':false}",
                    List.of(AT + ".x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined")),
            new Case("unsupported type", "{'type':'object','properties':{'a':{'type':'date'}}}",
                    List.of(AT + ".properties[a].type: Unsupported value: \"date\": supported values: \"array\", \"boolean\", "
                            + "\"integer\", \"number\", \"object\", \"string\"")),
            new Case("uniqueItems", "{'type':'object','properties':{'a':{'type':'array','uniqueItems':true,'items':{'type':'string'}}}}",
                    List.of(AT + ".properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic")),
            new Case("additionalProperties beside properties", "{'type':'object','properties':{'a':{'type':'object',"
                    + "'properties':{'x':{'type':'string'}},'additionalProperties':{'type':'string'}}}}",
                    List.of(AT + ".properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive")),
            new Case("$ref and patternProperties", "{'type':'object','properties':{'a':{'type':'object','$ref':'#/x',"
                    + "'patternProperties':{'^x':{'type':'string'}}}}}",
                    List.of(AT + ".properties[a].patternProperties: Forbidden: patternProperties is not supported",
                            AT + ".properties[a].$ref: Forbidden: $ref is not supported")),
            new Case("default in top-level metadata", "{'type':'object','properties':{'metadata':{'type':'object','default':{}}}}",
                    List.of(AT + ".properties[metadata].default: Forbidden: must not be set in top-level metadata")),
            new Case("invalid default", "{'type':'object','properties':{'spec':{'type':'object','properties':{"
                    + "'replicas':{'type':'integer','minimum':1,'default':0}}}}}",
                    List.of(AT + ".properties[spec].properties[replicas].default: Invalid value: 0:  in body should be greater than or equal to 1")),
            new Case("invalid default object", "{'type':'object','properties':{'spec':{'type':'object','default':{'n':'x'},"
                    + "'properties':{'n':{'type':'integer'}}}}}",
                    List.of(AT + ".properties[spec].default.n: Invalid value: \"string\": n in body must be of type integer: \"string\"")),
            new Case("default with unknown fields", "{'type':'object','properties':{'spec':{'type':'object','default':{'a':'x','b':1},"
                    + "'properties':{'a':{'type':'string'}}}}}",
                    List.of(AT + ".properties[spec].default: Invalid value: map[string]interface {}{\"a\":\"x\", \"b\":1}: "
                            + "must not have unknown fields")),
            new Case("default of an embedded resource needs kind", "{'type':'object','properties':{'t':{'type':'object',"
                    + "'x-kubernetes-embedded-resource':true,'x-kubernetes-preserve-unknown-fields':true,'default':{'apiVersion':'v1'}}}}",
                    List.of(AT + ".properties[t].default.kind: Required value")),
            new Case("value validation names a field the structure lacks", "{'type':'object','properties':{'a':{'type':'string'}},"
                    + "'anyOf':[{'properties':{'a':{'pattern':'x'}}},{'properties':{'b':{'pattern':'y'}}}]}",
                    List.of(AT + ".properties[b]: Required value: because it is defined in " + AT + ".anyOf[1].properties[b]")),
            new Case("list-type needs an array", "{'type':'object','properties':{'a':{'type':'string','x-kubernetes-list-type':'set'}}}",
                    List.of(AT + ".properties[a].type: Invalid value: \"string\": must be array if x-kubernetes-list-type is specified")),
            new Case("unknown list-type", "{'type':'object','properties':{'a':{'type':'array','x-kubernetes-list-type':'bag',"
                    + "'items':{'type':'string'}}}}",
                    List.of(AT + ".properties[a].x-kubernetes-list-type: Unsupported value: \"bag\": supported values: \"atomic\", \"set\", \"map\"")),
            new Case("list-map-keys without map", "{'type':'object','properties':{'a':{'type':'array','x-kubernetes-list-type':'set',"
                    + "'x-kubernetes-list-map-keys':['name'],'items':{'type':'string'}}}}",
                    List.of(AT + ".properties[a].x-kubernetes-list-type: Invalid value: \"set\": must be map if x-kubernetes-list-map-keys is non-empty")),
            new Case("list map keys", "{'type':'object','properties':{'a':{'type':'array','x-kubernetes-list-type':'map',"
                    + "'x-kubernetes-list-map-keys':['name','missing'],'items':{'type':'object','properties':{'name':{'type':'string'}}}}}}",
                    List.of(AT + ".properties[a].x-kubernetes-list-map-keys: Invalid value: []string{\"name\", \"missing\"}: "
                            + "entries must all be names of item properties",
                            AT + ".properties[a].items.properties[name].default: Required value: this property is in "
                                    + "x-kubernetes-list-map-keys, so it must have a default or be a required property")),
            new Case("list-type map without keys", "{'type':'object','properties':{'a':{'type':'array','x-kubernetes-list-type':'map',"
                    + "'items':{'type':'object','properties':{'name':{'type':'string'}}}}}}",
                    List.of(AT + ".properties[a].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map")),
            new Case("set of granular objects", "{'type':'object','properties':{'a':{'type':'array','x-kubernetes-list-type':'set',"
                    + "'items':{'type':'object','properties':{'x':{'type':'string'}}}}}}",
                    List.of(AT + ".properties[a].items.x-kubernetes-map-type: Invalid value: \"null\": must be atomic as item of a list "
                            + "with x-kubernetes-list-type=set")),
            new Case("map-type", "{'type':'object','properties':{'a':{'type':'object','x-kubernetes-map-type':'loose'}}}",
                    List.of(AT + ".properties[a].x-kubernetes-map-type: Unsupported value: \"loose\": supported values: \"atomic\", \"granular\"")));

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void causesAreUpstreams(Case c) {
        Result<CustomResourceSchema> r = CustomResourceSchema.of(json(c.schema()), AT);
        assertThat(r.errors()).extracting(FieldError::message).containsExactlyElementsOf(c.expected());
        assertThat(r.isValid()).isEqualTo(c.expected().isEmpty());
    }

    @Test
    void causesMatchGolden() throws IOException {
        StringBuilder out = new StringBuilder();
        for (Case c : CASES) {
            List<FieldError> errors = CustomResourceSchema.of(json(c.schema()), AT).errors();
            out.append("# ").append(c.name()).append('\n');
            for (FieldError e : errors) out.append(e.type().reason).append(' ').append(e.message()).append('\n');
            if (!errors.isEmpty()) {
                out.append(StatusMessages.invalid("CustomResourceDefinition.apiextensions.k8s.io", "widgets.example.com", errors)).append('\n');
            }
        }
        GoldenFile.assertMatches("invalid-schemas.golden", out.toString());
    }
}
