package dev.roster.api.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldSetTest {

    static FieldSet set(String json) {
        return FieldSet.fromFieldsV1(Json.parse(json.replace('\'', '"')));
    }

    @Test
    void fieldsV1RoundTripsWithUpstreamOrderAndMarkers() {
        // fields, then keys, then values; "." first when the node is owned itself
        String text = "{'f:a':{},'f:m':{'.':{},'f:x':{}},'f:l':{'k:{\\'name\\':\\'b\\'}':{'.':{},'f:name':{}},"
                + "'k:{\\'port\\':80,\\'protocol\\':\\'TCP\\'}':{}},'f:s':{'v:\\'x\\'':{},'v:1':{}}}";
        FieldSet s = set(text);
        assertThat(Json.text(s.toFieldsV1())).isEqualTo(
                "{\"f:a\":{},\"f:l\":{\"k:{\\\"name\\\":\\\"b\\\"}\":{\".\":{},\"f:name\":{}},"
                        + "\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{}},\"f:m\":{\".\":{},\"f:x\":{}},"
                        + "\"f:s\":{\"v:1\":{},\"v:\\\"x\\\"\":{}}}");
        assertThat(set(Json.text(s.toFieldsV1()).replace('"', '\''))).isEqualTo(s);
    }

    @Test
    void keysAreSortedByNameWhateverTheInputOrder() {
        assertThat(set("{'k:{\\'protocol\\':\\'TCP\\',\\'port\\':80}':{}}"))
                .isEqualTo(set("{'k:{\\'port\\':80,\\'protocol\\':\\'TCP\\'}':{}}"));
    }

    @Test
    void setAlgebraKeepsMembershipAndChildrenApart() {
        FieldSet a = set("{'f:spec':{'.':{},'f:replicas':{},'f:x':{}}}");
        FieldSet b = set("{'f:spec':{'f:replicas':{}}}");
        assertThat(a.difference(b)).isEqualTo(set("{'f:spec':{'.':{},'f:x':{}}}"));
        assertThat(a.intersection(b)).isEqualTo(b);
        assertThat(b.union(set("{'f:a':{}}"))).isEqualTo(set("{'f:a':{},'f:spec':{'f:replicas':{}}}"));
        assertThat(a.withoutSubtrees(set("{'f:spec':{}}")).isEmpty()).isTrue();
        assertThat(b.namedFieldsAsMembers()).isEqualTo(set("{'f:spec':{'.':{},'f:replicas':{}}}"));
    }

    @Test
    void pathsIterateShallowMembersFirstAndPrintAsUpstream() {
        FieldSet s = set("{'f:spec':{'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'nginx\\'}':{'f:image':{}}}}},'f:replicas':{}}}");
        assertThat(s.paths().stream().map(FieldSet::pathString).toList()).containsExactly(
                ".spec.replicas", ".spec.template.spec.containers[name=\"nginx\"].image");
        assertThat(FieldSet.pathString(List.of(PathElement.field("s"), PathElement.value(Json.parse("\"x\""))))).isEqualTo(".s[=\"x\"]");
    }

    @Test
    void malformedFieldsAreRejected() {
        assertThatThrownBy(() -> set("{'x:a':{}}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> set("{'f:a':1}")).isInstanceOf(IllegalArgumentException.class);
    }
}
