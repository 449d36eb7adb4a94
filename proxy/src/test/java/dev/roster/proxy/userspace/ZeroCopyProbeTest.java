package dev.roster.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.testing.Requires;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which TCP data path the proxy picks, and that every reason to fall back to copying is clean. */
class ZeroCopyProbeTest {
    @Test
    void theSystemPropertyTurnsZeroCopyOff() {
        ZeroCopy.Availability off = ZeroCopy.probe("false");
        assertThat(off.available()).isFalse();
        assertThat(off.describe()).isEqualTo("copying (-Droster.proxy.splice=false)");
        Requires.tool("Java 22+ on Linux (splice(2) through the FFM API)", ZeroCopyDataPathTest.linuxWithModernJava());
        assertThat(ZeroCopy.probe("true").available()).isTrue();
        assertThat(ZeroCopy.probe(null).describe()).startsWith("zero-copy splice(2), pipes of ");
    }

    @Test
    void optionsThatDoNotFitSpliceKeepCopying() {
        // not started: no informers, no listeners; only the data path is decided
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:1").build()).build()) {
            assertThat(describe(client, ProxyOptions.loopback().withZeroCopy(false))).isEqualTo("copying (turned off in ProxyOptions)");
            assertThat(describe(client, ProxyOptions.loopback().withVirtualThreads(true))).startsWith("copying (virtual threads");
            assertThat(describe(client, ProxyOptions.loopback().withEventLoops(1))).isEqualTo("copying (selector loops copy)");
        }
    }

    private static String describe(KubernetesClient client, ProxyOptions options) {
        UserspaceProxy p = new UserspaceProxy(client, options);
        try {
            return p.tcpDataPath();
        } finally {
            p.close();
        }
    }

    @Test
    void withoutAccessToDescriptorsTheProxyFallsBackToCopyingAndSaysWhy() throws Exception {
        Requires.tool("Java 22+ on Linux (splice(2) through the FFM API)", ZeroCopyDataPathTest.linuxWithModernJava());
        // a JVM started without --add-exports: the probe must fail cleanly, not throw
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DataPathProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).endsWith("copying (no access to socket file descriptors (start the JVM with"
                + " --add-exports java.base/sun.nio.ch=ALL-UNNAMED))");
    }

    /** Prints what {@link ZeroCopy#shared()} decides in a fresh JVM. */
    static final class DataPathProbe {
        public static void main(String[] args) {
            System.out.println(ZeroCopy.shared().describe());
        }
    }
}
