package dev.roster.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The programs' shape; what they do is proved in the kernel by ConnectBalancingKernelTest. */
class ConnectProgramTest {
    @ParameterizedTest(name = "ipv6 {0}")
    @ValueSource(booleans = {false, true})
    void everyJumpLandsOnTheFinalPassAndBothMapsAreReferenced(boolean ipv6) {
        ByteBuffer code = ByteBuffer.wrap(ConnectProgram.build(7, 9, 11, ipv6)).order(ByteOrder.LITTLE_ENDIAN);
        int n = code.capacity() / 8;
        assertThat(n).isEqualTo(ipv6 ? 50 : 44);
        int pass = n - 2; // "r0 = 1; exit"
        assertThat(code.get(pass * 8) & 0xff).isEqualTo(0xb7);
        assertThat(code.getInt(pass * 8 + 4)).isEqualTo(1);
        assertThat(code.get((n - 1) * 8) & 0xff).isEqualTo(0x95);
        int jumps = 0;
        StringBuilder maps = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int op = code.get(i * 8) & 0xff;
            if (op == 0x15 || op == 0x55 || op == 0x56) {
                jumps++;
                assertThat(i + 1 + code.getShort(i * 8 + 2)).as("jump at %d", i).isEqualTo(pass);
            }
            if (op == 0x18) maps.append(code.getInt(i * 8 + 4)).append(' ');
        }
        assertThat(jumps).isEqualTo(ipv6 ? 7 : 4); // protocol, two lookups, empty entry; IPv4-mapped prefix
        assertThat(maps.toString().strip()).isEqualTo("7 9 11");
    }

    @ParameterizedTest(name = "ipv6 {0}")
    @ValueSource(booleans = {false, true})
    void thePeerNameProgramLooksUpTheOriginsMapAndRewritesTheRightAddressWord(boolean ipv6) {
        ByteBuffer code = ByteBuffer.wrap(ConnectProgram.buildPeerName(11, ipv6)).order(ByteOrder.LITTLE_ENDIAN);
        int n = code.capacity() / 8;
        assertThat(n).isEqualTo(15);
        assertThat(code.getInt(3 * 8 + 4)).as("origins map fd").isEqualTo(11);
        int ipStore = 10; // *(u32 *)(ctx + user_ip4 or user_ip6[3]) = r2
        assertThat(code.get(ipStore * 8) & 0xff).isEqualTo(0x63);
        assertThat(code.getShort(ipStore * 8 + 2)).isEqualTo((short) (ipv6 ? 20 : 4));
        assertThat(code.getShort(12 * 8 + 2)).as("user_port").isEqualTo((short) 24);
        assertThat(8 + 1 + code.getShort(8 * 8 + 2)).as("the lookup's miss jumps to the return").isEqualTo(n - 2);
    }

    @Test
    void mapEntriesHoldAddressesAndPortsInNetworkOrder() {
        byte[] key = ConnectProgram.serviceKey(new byte[] {127, 96, 0, 10}, 8080);
        assertThat(key).containsExactly(127, 96, 0, 10, 0x1f, 0x90, 0, 0);
        assertThat(ConnectProgram.serviceValue(3, 258)).containsExactly(3, 0, 0, 0, 2, 1, 0, 0);
        assertThat(ConnectProgram.endpointKey(258, 2)).containsExactly(2, 1, 0, 0, 2, 0, 0, 0);
        assertThatThrownBy(() -> ConnectProgram.endpointValue(new byte[16], 80)).hasMessageContaining("IPv4");
    }
}
