package dev.roster.proxy.userspace;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every {@link UserspaceProxyTest} case again with TCP copied through buffers: the base class runs
 * on the zero-copy path wherever this JVM allows splice(2).
 */
class UserspaceProxyCopyingTest extends UserspaceProxyTest {
    @BeforeAll
    static void switchToCopying() {
        // runs after the superclass's start(): replace its proxy before any test
        world.close();
        world = new ProxyWorld();
        proxy = world.proxy(ProxyOptions.loopback().withZeroCopy(false).withUdpIdleTimeout(Duration.ofSeconds(2)));
        await().atMost(Duration.ofSeconds(10)).until(proxy::hasSynced);
    }
}
