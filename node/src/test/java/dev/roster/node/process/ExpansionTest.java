package dev.roster.node.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** $(VAR) expansion cases, as upstream's expansion tests describe the rules. */
class ExpansionTest {
    private static final Map<String, String> VARS = Map.of("VAR_A", "A", "VAR_B", "B", "VAR_EMPTY", "");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "$(VAR_A)|A",
            "___$(VAR_A)___|___A___",
            "$(VAR_A)-$(VAR_B)|A-B",
            "$(VAR_EMPTY)x|x",
            "$(UNKNOWN)|$(UNKNOWN)",
            "$$(VAR_A)|$(VAR_A)",
            "$$$(VAR_A)|$A",
            "$$$$(VAR_A)|$$(VAR_A)",
            "$(VAR_A|$(VAR_A",
            "$VAR_A|$VAR_A",
            "$|$",
            "a$|a$",
            "$()|$()",
            "plain|plain",
    })
    void expands(String in, String out) {
        assertThat(Expansion.expand(in, VARS::get)).isEqualTo(out);
    }
}
