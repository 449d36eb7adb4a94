package dev.roster.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** resolv.conf as the kubelet reads a host's file, and as a pod's file is written. */
class ResolvConfTest {
    @TempDir Path tmp;

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("empty", "", List.of(), List.of(), List.of()),
                Arguments.of("systemd-resolved stub", "# This is /run/systemd/resolve/stub-resolv.conf\n"
                        + "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch corp.example.\n",
                        List.of("127.0.0.53"), List.of("corp.example"), List.of("edns0", "trust-ad")),
                Arguments.of("nameservers accumulate, in order", "nameserver 10.0.0.1\nnameserver 2001:db8::1\n\tnameserver   10.0.0.2  \n",
                        List.of("10.0.0.1", "2001:db8::1", "10.0.0.2"), List.of(), List.of()),
                Arguments.of("the last search line wins, dots trimmed, '.' dropped", "search a.example b.example\nsearch c.example. . d\n",
                        List.of(), List.of("c.example", "d"), List.of()),
                Arguments.of("the last options line wins", "options ndots:2 timeout:1\noptions attempts:3\n",
                        List.of(), List.of(), List.of("attempts:3")),
                Arguments.of("comments, other keywords and CRLF ignored", "; old style\r\n#nameserver 9.9.9.9\r\ndomain example.com\r\n"
                        + "sortlist 10.0.0.0/8\r\nnameserver 1.1.1.1 # trailing words ignored\r\n",
                        List.of("1.1.1.1"), List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void parsesAsTheKubeletDoes(String name, String text, List<String> nameservers, List<String> searches, List<String> options) {
        ResolvConf c = ResolvConf.parse(text);
        assertThat(c.nameservers()).isEqualTo(nameservers);
        assertThat(c.searches()).isEqualTo(searches);
        assertThat(c.options()).isEqualTo(options);
    }

    @Test
    void aNameserverLineWithoutAnAddressIsAnError() {
        assertThatThrownBy(() -> ResolvConf.parse("nameserver 1.1.1.1\nnameserver\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("nameserver list is empty");
    }

    @Test
    void rendersSearchThenNameserversThenOptionsAndLeavesEmptyPartsOut() {
        ResolvConf c = new ResolvConf(List.of("10.96.0.10", "10.96.0.11"), List.of("default.svc.cluster.local", "svc.cluster.local",
                "cluster.local"), List.of("ndots:5"));
        assertThat(c.render()).isEqualTo("""
                search default.svc.cluster.local svc.cluster.local cluster.local
                nameserver 10.96.0.10
                nameserver 10.96.0.11
                options ndots:5
                """);
        assertThat(ResolvConf.parse(c.render())).isEqualTo(c);
        assertThat(c.withSearches(List.of()).withOptions(List.of()).render()).isEqualTo("nameserver 10.96.0.10\nnameserver 10.96.0.11\n");
        assertThat(ResolvConf.EMPTY.render()).isEmpty();
        assertThat(ResolvConf.EMPTY.withNameservers(List.of("::1")).render()).isEqualTo("nameserver ::1\n");
    }

    @Test
    void readsAFileAndRefusesAMissingAMalformedOrAnOversizedOne() throws IOException {
        Path f = tmp.resolve("resolv.conf");
        Files.writeString(f, "nameserver 192.0.2.1\nsearch example.org\n");
        assertThat(ResolvConf.read(f)).isEqualTo(new ResolvConf(List.of("192.0.2.1"), List.of("example.org"), List.of()));

        assertThatThrownBy(() -> ResolvConf.read(tmp.resolve("missing"))).isInstanceOf(IOException.class);
        Files.writeString(f, "nameserver\n");
        assertThatThrownBy(() -> ResolvConf.read(f)).isInstanceOf(IOException.class).hasMessageContaining("nameserver list is empty");
        Files.write(f, new byte[ResolvConf.MAX_BYTES + 1]);
        assertThatThrownBy(() -> ResolvConf.read(f)).isInstanceOf(IOException.class).hasMessageContaining("larger than");
    }
}
