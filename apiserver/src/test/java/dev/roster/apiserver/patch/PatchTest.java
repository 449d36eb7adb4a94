package dev.roster.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.api.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** RFC 7386 and RFC 6902 cases (the RFCs' own examples, rewritten as table rows). */
class PatchTest {
    @ParameterizedTest(name = "merge {0} + {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"a\":\"b\"}|{\"a\":\"c\"}|{\"a\":\"c\"}",
        "{\"a\":\"b\"}|{\"b\":\"c\"}|{\"a\":\"b\",\"b\":\"c\"}",
        "{\"a\":\"b\"}|{\"a\":null}|{}",
        "{\"a\":\"b\",\"b\":\"c\"}|{\"a\":null}|{\"b\":\"c\"}",
        "{\"a\":[\"b\"]}|{\"a\":\"c\"}|{\"a\":\"c\"}",
        "{\"a\":\"c\"}|{\"a\":[\"b\"]}|{\"a\":[\"b\"]}",
        "{\"a\":{\"b\":\"c\"}}|{\"a\":{\"b\":\"d\",\"c\":null}}|{\"a\":{\"b\":\"d\"}}",
        "{\"a\":[{\"b\":\"c\"}]}|{\"a\":[1]}|{\"a\":[1]}",
        "[\"a\",\"b\"]|[\"c\",\"d\"]|[\"c\",\"d\"]",
        "{\"a\":\"b\"}|[\"c\"]|[\"c\"]",
        "{\"e\":null}|{\"a\":1}|{\"e\":null,\"a\":1}",
        "[1,2]|{\"a\":\"b\",\"c\":null}|{\"a\":\"b\"}",
        "{}|{\"a\":{\"bb\":{\"ccc\":null}}}|{\"a\":{\"bb\":{}}}"
    })
    void mergePatch(String target, String patch, String expected) {
        assertThat(MergePatch.apply(Json.parse(target), Json.parse(patch))).isEqualTo(Json.parse(expected));
    }

    @ParameterizedTest(name = "json patch {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"foo\":\"bar\"}|[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]|{\"baz\":\"qux\",\"foo\":\"bar\"}",
        "{\"foo\":[\"bar\",\"baz\"]}|[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]|{\"foo\":[\"bar\",\"qux\",\"baz\"]}",
        "{\"baz\":\"qux\",\"foo\":\"bar\"}|[{\"op\":\"remove\",\"path\":\"/baz\"}]|{\"foo\":\"bar\"}",
        "{\"foo\":[\"bar\",\"qux\",\"baz\"]}|[{\"op\":\"remove\",\"path\":\"/foo/1\"}]|{\"foo\":[\"bar\",\"baz\"]}",
        "{\"baz\":\"qux\",\"foo\":\"bar\"}|[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]|{\"baz\":\"boo\",\"foo\":\"bar\"}",
        "{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}|[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]|{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}",
        "{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]}|[{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}]|{\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}",
        "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}|[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"qux\"},{\"op\":\"test\",\"path\":\"/foo/1\",\"value\":2}]|{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}",
        "{\"foo\":\"bar\"}|[{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}]|{\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}",
        "{\"foo\":[\"bar\"]}|[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\",\"def\"]}]|{\"foo\":[\"bar\",[\"abc\",\"def\"]]}",
        "{\"/\":1,\"m~n\":2}|[{\"op\":\"copy\",\"from\":\"/m~0n\",\"path\":\"/a~1b\"}]|{\"/\":1,\"m~n\":2,\"a/b\":2}"
    })
    void jsonPatch(String target, String patch, String expected) {
        assertThat(JsonPatch.apply(Json.parse(target), Json.parse(patch))).isEqualTo(Json.parse(expected));
    }

    @ParameterizedTest(name = "json patch error {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"foo\":\"bar\"}|[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]|add operation does not apply: doc is missing path: \"/baz/bat\": missing value",
        "{\"baz\":\"qux\"}|[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]|testing value /baz failed: test failed",
        "{\"foo\":\"bar\"}|[{\"op\":\"remove\",\"path\":\"/nope\"}]|remove operation does not apply: doc is missing path: \"/nope\": missing value",
        "{\"foo\":[1]}|[{\"op\":\"replace\",\"path\":\"/foo/5\",\"value\":1}]|replace operation does not apply: doc is missing path: \"/foo/5\": missing value",
        "{\"foo\":[1]}|[{\"op\":\"add\",\"path\":\"/foo/x\",\"value\":1}]|add operation does not apply: doc is missing path: \"/foo/x\": missing value",
        "{\"foo\":1}|[{\"op\":\"add\",\"path\":\"/a\",\"value\":1},{\"op\":\"move\",\"from\":\"/nope\",\"path\":\"/b\"}]|move operation does not apply: doc is missing path: \"/nope\": missing value",
        "{\"foo\":1}|[{\"op\":\"test\",\"path\":\"/nope\",\"value\":1}]|test operation does not apply: doc is missing path: \"/nope\": missing value",
        "{\"foo\":1}|[{\"op\":\"add\",\"path\":\"/x\"}]|missing value in operation {\"op\":\"add\",\"path\":\"/x\"}",
        "{\"foo\":1}|[{\"op\":\"remove\"}]|missing path in operation {\"op\":\"remove\"}",
        "{\"foo\":1}|[{\"op\":\"copy\",\"path\":\"/b\"}]|missing from in operation {\"op\":\"copy\",\"path\":\"/b\"}",
        "{\"foo\":[1]}|[{\"op\":\"add\",\"path\":\"/foo/01\",\"value\":1}]|add operation does not apply: doc is missing path: \"/foo/01\": missing value",
        "{\"foo\":1}|[{\"op\":\"jump\",\"path\":\"/foo\"}]|Unexpected kind: jump",
        "{\"foo\":1}|{\"op\":\"add\"}|json: cannot unmarshal object into Go value of type jsonpatch.Patch"
    })
    void jsonPatchErrorsSayWhatUpstreamSays(String target, String patch, String message) {
        JsonNode doc = Json.parse(target);
        assertThatThrownBy(() -> JsonPatch.apply(doc, Json.parse(patch))).isInstanceOf(PatchException.class).hasMessage(message);
        assertThat(doc).as("the target is never changed").isEqualTo(Json.parse(target));
    }
}
