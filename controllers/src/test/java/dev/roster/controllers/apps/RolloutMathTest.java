package dev.roster.controllers.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One rolling-update step's old ReplicaSet sizes: within maxUnavailable, even when a status lags. */
class RolloutMathTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rollout starts: one old pod goes                      | 4   | 4   | 1 | 0 | 3 | 3
            old status not written yet: still only one goes       | 4   | 0   | 1 | 0 | 3 | 3
            one new pod ready: one more old pod goes              | 3   | 3   | 2 | 1 | 3 | 2
            all new pods ready: the last old pod goes             | 1   | 1   | 4 | 4 | 3 | 0
            new pods unready and surge used up: nothing goes      | 3   | 3   | 2 | 0 | 3 | 3
            unhealthy pods of the newer old set go, within bounds | 2 2 | 2 0 | 1 | 0 | 3 | 2 1
            unhealthy old pods go first when the bound allows     | 4   | 2   | 2 | 2 | 3 | 1
            """)
    void oldSizes(String what, String sizes, String available, int newSize, int newAvailable, int minAvailable, String expected) {
        assertThat(RolloutMath.oldSizes(ints(sizes), ints(available), newSize, newAvailable, minAvailable)).containsExactly(ints(expected));
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }
}
