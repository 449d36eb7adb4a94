package dev.roster.proxy.live;

import dev.roster.runtime.net.CommandFailedException;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.model.ServiceName;
import java.util.Set;

/** One proxy mode's way of turning the state into kernel rules: render, then apply. */
public interface RulesBackend {
    /** "iptables" or "nftables". */
    String mode();

    /**
     * Renders and applies one sync. On a partial sync ({@code fullSync} false) only the chains of
     * {@code changed} services are rewritten. Throws {@link CommandFailedException} if the kernel refused it.
     */
    AppliedSync sync(ProxyState state, Set<ServiceName> changed, boolean fullSync);

    /** Lets go of what the backend keeps running between syncs (rules stay in place). */
    default void close() {
    }

    /** Removes every rule, chain and table the backend ever wrote. */
    void cleanup();

    /** The rules in the kernel now that belong to one service, as the kernel prints them back. */
    String rulesOf(ServiceName service);
}
