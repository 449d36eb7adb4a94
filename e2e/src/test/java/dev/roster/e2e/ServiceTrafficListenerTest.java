package dev.roster.e2e;

/**
 * {@link ServiceTrafficTest}'s cases with {@code roster up --no-proxy-connect-balancing}: every
 * connection goes through the userspace proxy's listeners, whoever the client is.
 */
class ServiceTrafficListenerTest extends ServiceTrafficTest {
    @Override
    String[] upArgs() {
        return new String[] {"--no-proxy-connect-balancing"};
    }

    @Override
    boolean expectDirect() {
        return false;
    }
}
