package dev.roster.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which names are roster's (and so cleanup's): pure string rules, no root needed. */
class NamespaceNamesTest {
    @ParameterizedTest
    @CsvSource(textBlock = """
            roster-net,              true
            roster-node-1,           true
            roster-node-12,          true
            roster-pod-0123456789a,  true
            roster-node-,            false
            roster-node-x,           false
            roster-pod-0123456789,   false
            roster-pod-0123456789AB, false
            roster-t1a2b-net,        false
            roster-t-x1,             false
            rosternet,               false
            other-net,               false
            """)
    void cleanupTakesOnlyRostersOwnNames(String name, boolean leftover) {
        assertThat(ClusterNetwork.isLeftover(ClusterNetwork.PREFIX, name)).isEqualTo(leftover);
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            roster-node-3,     ABCDEF01-2345-6789, roster-pod-abcdef01234
            roster-t9-node-1,  0123456789abcdef,   roster-t9-pod-0123456789a
            """)
    void podNamespacesShareTheirNodesPrefix(String nodeName, String uid, String expected) {
        NodeNetwork n = new NodeNetwork(nodeName, NetNs.named(nodeName), "172.18.0.4", "10.244.3.0/24", "10.244.3.1");
        assertThat(PodNetwork.namespaceName(n, uid)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 251})
    void aNodeCountOutOfRangeIsRefused(int nodes) {
        assertThatThrownBy(() -> ClusterNetwork.create("roster-never", nodes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodes must be 1..250, not " + nodes);
    }
}
