package dev.roster.proxy.userspace;

/** One bound socket of the proxy (a TCP or UDP listener) serving one Service port. */
interface Listener extends AutoCloseable {
    ListenerKey key();

    /** The Service port whose balancer this listener uses. */
    Balancer balancer();

    @Override
    void close();

    /** Closes a socket or channel that is being given up anyway (null is fine). */
    static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (java.io.IOException ignored) {
            // closing anyway
        }
    }
}
