package dev.roster.proxy.userspace;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;

/** Every {@link ZeroCopyDataPathTest} case again on the copying path (zero-copy turned off). */
class CopyingDataPathTest extends ZeroCopyDataPathTest {
    @BeforeAll
    static void switchToCopying() throws IOException {
        // runs after the superclass's start(): a fresh world whose proxy copies
        startWith(ProxyOptions.loopback().withZeroCopy(false), "copying (turned off in ProxyOptions)");
    }
}
