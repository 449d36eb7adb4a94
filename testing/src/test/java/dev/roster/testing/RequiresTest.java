package dev.roster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

/** The skip convention run-tests relies on: which calls skip, with which prefix, and which fail under CI=true. */
class RequiresTest {
    static Stream<Arguments> missing() {
        return Stream.of(
                Arguments.of("kernel feature", (Runnable) () -> Requires.kernelFeature("BPF maps", false),
                        TestAbortedException.class, "needs kernel feature: BPF maps"),
                Arguments.of("tool outside CI", (Runnable) () -> Requires.tool("nft", false, false),
                        TestAbortedException.class, "missing tool: nft"),
                Arguments.of("tool under CI", (Runnable) () -> Requires.tool("nft", false, true),
                        AssertionError.class, "missing tool: nft (CI=true: every tool a test needs must be installed)"),
                Arguments.of("command not on the PATH", (Runnable) () -> Requires.onPath("roster-no-such-command"),
                        Requires.ci() ? AssertionError.class : TestAbortedException.class,
                        "missing tool: roster-no-such-command on the PATH"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missing")
    void aMissingRequirementSkipsOrFailsWithItsPrefix(String what, Runnable check, Class<? extends Throwable> thrown,
            String message) {
        Throwable t = catchThrowable(check::run);
        assertThat(t).isInstanceOf(thrown);
        assertThat(t.getMessage()).startsWith(message);
    }

    @Test
    void presentRequirementsPass() {
        assertThatCode(() -> {
            Requires.kernelFeature("anything", true);
            Requires.tool("anything", true, true);
            Requires.onPath("sh");
        }).doesNotThrowAnyException();
    }

    @Test
    void rootSkipsOnlyForOthers() {
        Throwable t = catchThrowable(() -> Requires.root("network namespaces"));
        if (Requires.isRoot()) assertThat(t).isNull();
        else assertThat(t).isInstanceOf(TestAbortedException.class).hasMessage("needs root: network namespaces");
    }
}
