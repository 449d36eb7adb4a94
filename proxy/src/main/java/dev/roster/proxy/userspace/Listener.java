package dev.roster.proxy.userspace;

/** One bound socket of the proxy (a TCP or UDP listener) serving one Service port. */
interface Listener extends AutoCloseable {
    ListenerKey key();

    /** The Service port whose balancer this listener uses. */
    Balancer balancer();

    @Override
    void close();
}
