package dev.roster.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NsThreadTest {
    private NetNs ns;

    @BeforeEach
    void namespace() {
        ns = Scratch.namespace("nsthread");
    }

    @AfterEach
    void delete() {
        if (ns != null) ns.delete();
    }

    @Test
    void aServerOpenedInTheTaskListensInTheNamespaceNotOnTheHost() throws Exception {
        // the host server holds port P on the host's loopback; the namespace's own loopback has port P free,
        // so a second server on the same address shows the two are apart, and which one a client reaches
        try (ServerSocketChannel host = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            host.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) host.getLocalAddress()).getPort();
            try (ServerSocketChannel inside = NsThread.call(ns, () -> ServerSocketChannel.open(StandardProtocolFamily.INET))) {
                inside.bind(new InetSocketAddress("127.0.0.1", port)); // bound on this thread: the fd decides
                host.configureBlocking(false);
                inside.configureBlocking(false);

                try (SocketChannel fromHost = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                    assertThat(acceptWithin(host)).as("the host's client reaches the host's server").isTrue();
                    assertThat(inside.accept()).as("and not the namespace's").isNull();
                }
                ExecResult r = ns.run(List.of("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port));
                assertThat(r.exitCode()).as(r.stderr()).isZero();
                assertThat(acceptWithin(inside)).as("a client in the namespace reaches the namespace's server").isTrue();
                assertThat(host.accept()).isNull();
            }
        }
    }

    @Test
    void theThreadIsBackHomeAfterATaskAndAfterAFailingOne() throws Exception {
        String tid = NsThread.call(ns, () -> {
            assertThat(namespaceOf("/proc/thread-self/ns/net")).isEqualTo(inode(ns));
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        });
        assertThat(Files.readSymbolicLink(Path.of("/proc/self/task", tid, "ns/net"))).isEqualTo(home());

        IOException failure = new IOException("task failed");
        assertThatThrownBy(() -> NsThread.call(ns, () -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(Files.readSymbolicLink(Path.of("/proc/self/task", tid, "ns/net"))).isEqualTo(home());
        // and the same thread still serves calls
        assertThat(NsThread.call(ns, () -> Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString())).isEqualTo(tid);
    }

    @Test
    void aProcessStartedInTheTaskRunsInTheNamespace() throws Exception {
        Process p = NsThread.call(ns, () -> new ProcessBuilder("readlink", "/proc/self/ns/net").start());
        String link = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(link).isEqualTo(inode(ns));
    }

    @Test
    void nestedCallsReturnToTheOuterNamespace() throws Exception {
        NetNs other = NetNs.create(ns.name() + "-2");
        try {
            List<String> seen = NsThread.call(ns, () -> {
                String inner = NsThread.call(other, () -> namespaceOf("/proc/thread-self/ns/net"));
                return List.of(inner, namespaceOf("/proc/thread-self/ns/net"));
            });
            assertThat(seen).containsExactly(inode(other), inode(ns));
        } finally {
            other.delete();
        }
    }

    @Test
    void aMissingNamespaceIsNamedAndTheThreadStaysUsable() throws Exception {
        NetNs gone = NetNs.named(ns.name() + "-gone");
        assertThatThrownBy(() -> NsThread.call(gone, () -> 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("network namespace \"" + gone.name() + "\" cannot be entered: cannot open /run/netns/");
        assertThat(NsThread.call(ns, () -> namespaceOf("/proc/thread-self/ns/net"))).isEqualTo(inode(ns));
    }

    private static boolean acceptWithin(ServerSocketChannel server) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) { // a connect is queued before connect() returns; 2 s bounds a slow machine
            try (SocketChannel c = server.accept()) {
                if (c != null) return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static Path home() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
    }

    private static String namespaceOf(String link) throws IOException {
        return Files.readSymbolicLink(Path.of(link)).toString();
    }

    /** How /proc names a namespace: net:[inode of its /run/netns file]. */
    private static String inode(NetNs ns) throws IOException {
        return "net:[" + Files.getAttribute(Path.of("/run/netns", ns.name()), "unix:ino") + "]";
    }
}
