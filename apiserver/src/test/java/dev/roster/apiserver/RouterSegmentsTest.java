package dev.roster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouterSegmentsTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "/", "//", "/api", "/api/v1/namespaces/default/pods/p/status", "api/v1", "/apis/apps/v1/",
        "/api//v1///pods", "x", "/a/b/c/d/e/f/g/h/i/j"})
    void splitsAsSplittingAndDroppingEmptyPartsDoes(String path) {
        String[] expected = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        assertThat(Router.segments(path)).containsExactly(expected);
    }
}
