package dev.roster.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.api.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        "{\"foo\":\"bar\"}|[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]",
        "{\"baz\":\"qux\"}|[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]",
        "{\"foo\":\"bar\"}|[{\"op\":\"remove\",\"path\":\"/nope\"}]",
        "{\"foo\":[1]}|[{\"op\":\"replace\",\"path\":\"/foo/5\",\"value\":1}]",
        "{\"foo\":1}|[{\"op\":\"jump\",\"path\":\"/foo\"}]",
        "{\"foo\":1}|{\"op\":\"add\"}"
    })
    void jsonPatchErrors(String target, String patch) {
        assertThatThrownBy(() -> JsonPatch.apply(Json.parse(target), Json.parse(patch))).isInstanceOf(PatchException.class);
    }
}
