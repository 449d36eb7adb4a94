package dev.roster.proxy.userspace;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/** Every {@link UserspaceProxyTest} case again, with TCP copied by two shared selector loops. */
class UserspaceProxyEventLoopTest extends UserspaceProxyTest {
    @BeforeAll
    static void switchToEventLoops() {
        // runs after the superclass's start(): replace its proxy before any test
        world.close();
        world = new ProxyWorld();
        proxy = world.proxy(ProxyOptions.loopback().withEventLoops(2).withUdpIdleTimeout(Duration.ofSeconds(2)));
        await().atMost(Duration.ofSeconds(10)).until(proxy::hasSynced);
    }
}
