package dev.roster.storage.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyRangeTest {
    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "/a/,     /a0",
        "/a,      /b",
        "'',      NULL",
        "a\uffff, b",
        "\uffff,  NULL",
    })
    void prefixEndIsTheFirstKeyPastThePrefix(String prefix, String end) {
        assertThat(KeyRange.prefixEnd(prefix)).isEqualTo(end);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "/a/, NULL, /a/x,  true",
        "/a/, NULL, /a0,   false",
        "/a/, NULL, /a,    false",
        "/a/, /a/m, /a/b,  false",
        "/a/, /a/m, /a/m,  true",
        "/a/, /0,   /a/b,  true",
        "'',  NULL, /any,  true",
    })
    void containsOnlyKeysUnderThePrefixFromTheStartKey(String prefix, String startKey, String key, boolean inside) {
        assertThat(KeyRange.of(prefix, startKey).contains(key)).isEqualTo(inside);
    }
}
