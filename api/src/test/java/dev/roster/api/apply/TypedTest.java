package dev.roster.api.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Field sets, comparisons and merges of small trees, in the spirit of structured-merge-diff's
 * own tests (our cases): associative lists, sets, atomic values and null versus absent.
 */
class TypedTest {
    /** A schema with every shape: a keyed list of objects with a nested keyed list, a set, an atomic map. */
    static final FieldType SCHEMA = FieldType.map()
            .field("items", FieldType.associative(FieldType.map()
                    .field("ports", FieldType.associative(FieldType.MAP, java.util.Map.of("protocol", "TCP"), "port", "protocol"))
                    .build(), "name"))
            .field("tags", FieldType.SET)
            .field("selector", FieldType.ATOMIC)
            .build();

    static JsonNode j(String s) {
        return s == null ? null : Json.parse(s.replace('\'', '"'));
    }

    static Stream<Arguments> fieldSets() {
        return Stream.of(
                Arguments.of("scalars are leaves", "{'a':1,'b':'x'}", "{'f:a':{},'f:b':{}}"),
                Arguments.of("a map with content is implied by it", "{'m':{'k':'v'}}", "{'f:m':{'f:k':{}}}"),
                Arguments.of("an empty map is owned itself", "{'m':{}}", "{'f:m':{}}"),
                Arguments.of("null is owned", "{'m':null}", "{'f:m':{}}"),
                Arguments.of("undescribed lists are atomic", "{'l':[1,2]}", "{'f:l':{}}"),
                Arguments.of("keyed items own themselves", "{'items':[{'name':'a','x':1}]}",
                        "{'f:items':{'k:{\\'name\\':\\'a\\'}':{'.':{},'f:name':{},'f:x':{}}}}"),
                Arguments.of("multi-key with a defaulted key", "{'items':[{'name':'a','ports':[{'port':80}]}]}",
                        "{'f:items':{'k:{\\'name\\':\\'a\\'}':{'.':{},'f:name':{},'f:ports':{'k:{\\'port\\':80,\\'protocol\\':\\'TCP\\'}':{'.':{},'f:port':{}}}}}}"),
                Arguments.of("sets own values", "{'tags':['b','a']}", "{'f:tags':{'v:\\'a\\'':{},'v:\\'b\\'':{}}}"),
                Arguments.of("atomic maps are leaves", "{'selector':{'a':'b'}}", "{'f:selector':{}}"),
                Arguments.of("an empty keyed list owns nothing", "{'items':[]}", "{}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldSets")
    void toFieldSet(String name, String value, String fieldsV1) {
        assertThat(Typed.toFieldSet(SCHEMA, j(value)).toFieldsV1()).isEqualTo(j(fieldsV1));
    }

    static Stream<Arguments> comparisons() {
        return Stream.of(
                Arguments.of("a new map is added with its content", "{}", "{'m':{'k':'v'}}", "{'f:m':{'.':{},'f:k':{}}}", "{}", "{}"),
                Arguments.of("a map that was there is not", "{'m':{}}", "{'m':{'k':'v'}}", "{'f:m':{'f:k':{}}}", "{}", "{}"),
                Arguments.of("null then a list: only the items are added", "{'items':null}", "{'items':[{'name':'a'}]}",
                        "{'f:items':{'k:{\\'name\\':\\'a\\'}':{'.':{},'f:name':{}}}}", "{}", "{}"),
                Arguments.of("changed leaf", "{'a':1}", "{'a':2}", "{}", "{'f:a':{}}", "{}"),
                Arguments.of("changed atomic map", "{'selector':{'a':'b'}}", "{'selector':{'a':'c'}}", "{}", "{'f:selector':{}}", "{}"),
                Arguments.of("removed item with its fields", "{'items':[{'name':'a','x':1},{'name':'b'}]}", "{'items':[{'name':'b'}]}",
                        "{}", "{}", "{'f:items':{'k:{\\'name\\':\\'a\\'}':{'.':{},'f:name':{},'f:x':{}}}}"),
                Arguments.of("reordering is no change", "{'tags':['a','b']}", "{'tags':['b','a']}", "{}", "{}", "{}"),
                Arguments.of("set value swapped", "{'tags':['a']}", "{'tags':['b']}", "{'f:tags':{'v:\\'b\\'':{}}}", "{}",
                        "{'f:tags':{'v:\\'a\\'':{}}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("comparisons")
    void compare(String name, String lhs, String rhs, String added, String modified, String removed) {
        Typed.Comparison c = Typed.compare(SCHEMA, j(lhs), j(rhs));
        assertThat(c.added().toFieldsV1()).as("added").isEqualTo(j(added));
        assertThat(c.modified().toFieldsV1()).as("modified").isEqualTo(j(modified));
        assertThat(c.removed().toFieldsV1()).as("removed").isEqualTo(j(removed));
    }

    static Stream<Arguments> merges() {
        return Stream.of(
                Arguments.of("maps merge, config wins", "{'a':1,'m':{'x':1,'y':2}}", "{'m':{'y':3},'b':2}", "{'a':1,'m':{'x':1,'y':3},'b':2}"),
                Arguments.of("null clears", "{'a':1,'b':2}", "{'a':null}", "{'b':2}"),
                Arguments.of("atomic replaced whole", "{'selector':{'a':'b','c':'d'}}", "{'selector':{'e':'f'}}", "{'selector':{'e':'f'}}"),
                Arguments.of("undescribed list replaced", "{'l':[1,2]}", "{'l':[3]}", "{'l':[3]}"),
                Arguments.of("keyed items merge by key", "{'items':[{'name':'a','x':1,'y':1}]}", "{'items':[{'name':'a','x':2}]}",
                        "{'items':[{'name':'a','x':2,'y':1}]}"),
                Arguments.of("live-only items keep their place, shared follow the config",
                        "{'items':[{'name':'a'},{'name':'b'},{'name':'c'}]}", "{'items':[{'name':'c'},{'name':'a'}]}",
                        "{'items':[{'name':'b'},{'name':'c'},{'name':'a'}]}"),
                Arguments.of("new items where the config has them", "{'items':[{'name':'a'},{'name':'b'}]}",
                        "{'items':[{'name':'x'},{'name':'b'}]}", "{'items':[{'name':'a'},{'name':'x'},{'name':'b'}]}"),
                Arguments.of("sets union: new values before the live ones they precede", "{'tags':['a','b']}", "{'tags':['c','a']}", "{'tags':['c','a','b']}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("merges")
    void merge(String name, String lhs, String rhs, String expected) {
        assertThat(ApplyMerge.merge(SCHEMA, j(lhs), j(rhs))).isEqualTo(j(expected));
    }

    static Stream<Arguments> removals() {
        return Stream.of(
                Arguments.of("{'a':1,'b':{'c':1,'d':2}}", "{'f:b':{'f:c':{}}}", "{'a':1,'b':{'d':2}}"),
                Arguments.of("{'a':1,'b':{'c':1}}", "{'f:b':{}}", "{'a':1}"),
                Arguments.of("{'items':[{'name':'a','x':1},{'name':'b','x':2}]}", "{'f:items':{'k:{\\'name\\':\\'a\\'}':{}}}",
                        "{'items':[{'name':'b','x':2}]}"),
                Arguments.of("{'items':[{'name':'a','x':1}]}", "{'f:items':{'k:{\\'name\\':\\'a\\'}':{'f:x':{}}}}",
                        "{'items':[{'name':'a'}]}"));
    }

    @ParameterizedTest(name = "{0} - {1}")
    @MethodSource("removals")
    void removeItems(String value, String set, String expected) {
        assertThat(Typed.removeItems(SCHEMA, j(value), FieldSet.fromFieldsV1(j(set)))).isEqualTo(j(expected));
    }
}
