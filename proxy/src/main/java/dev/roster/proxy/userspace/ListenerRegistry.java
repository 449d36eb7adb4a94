package dev.roster.proxy.userspace;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The userspace proxy's bound sockets: which Service owns each address, binding and closing listeners so a
 * Service holds exactly the addresses it wants, and the bind errors still failing. Changed by the
 * reconciler's one worker thread; read by anyone (concurrent maps).
 */
final class ListenerRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerRegistry.class);

    /** Binds one listener for a Service port's balancer. */
    interface Opener {
        Listener open(ListenerKey key, Balancer balancer) throws IOException;
    }

    private final Opener opener;
    private final Map<ListenerKey, Listener> listeners = new ConcurrentHashMap<>();
    private final Map<ListenerKey, String> ownerOf = new ConcurrentHashMap<>();
    private final Map<String, Set<ListenerKey>> ownedBy = new ConcurrentHashMap<>();
    private final Map<ListenerKey, String> bindErrors = new ConcurrentHashMap<>();

    ListenerRegistry(Opener opener) {
        this.opener = opener;
    }

    /**
     * Makes the listeners of Service {@code key} ("namespace/name") match {@code wanted}: a listener whose
     * address is no longer wanted, or wanted for another balancer, is closed; missing ones are bound.
     *
     * @param newBindError told (address, message) when an address fails in a way it did not fail before
     */
    Synced sync(String key, Map<ListenerKey, Balancer> wanted, BiConsumer<ListenerKey, String> newBindError) {
        Set<ListenerKey> owned = ownedBy.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
        for (ListenerKey lk : new ArrayList<>(owned)) {
            Listener l = listeners.get(lk);
            if (l != null && wanted.get(lk) == l.balancer()) continue;
            if (l != null) {
                l.close();
                listeners.remove(lk);
                LOG.info("userspace proxy: {} stopped listening on {}", key, lk);
            }
            owned.remove(lk);
            ownerOf.remove(lk, key);
            if (!wanted.containsKey(lk)) bindErrors.remove(lk);
        }
        boolean failed = false;
        for (Map.Entry<ListenerKey, Balancer> e : wanted.entrySet()) {
            ListenerKey lk = e.getKey();
            if (owned.contains(lk)) continue;
            String other = ownerOf.get(lk);
            try {
                if (other != null && !other.equals(key)) {
                    throw new IOException("Address already in use by service " + other);
                }
                listeners.put(lk, opener.open(lk, e.getValue()));
                owned.add(lk);
                ownerOf.put(lk, key);
                if (bindErrors.remove(lk) != null) LOG.info("userspace proxy: {} now listens on {}", key, lk);
                else LOG.debug("userspace proxy: {} listens on {}", key, lk);
            } catch (IOException ex) {
                failed = true;
                String msg = BindFailure.message(lk, ex);
                if (!msg.equals(bindErrors.put(lk, msg))) newBindError.accept(lk, msg);
            }
        }
        if (owned.isEmpty()) ownedBy.remove(key);
        List<Listener> out = new ArrayList<>(owned.size());
        for (ListenerKey lk : owned) {
            Listener l = listeners.get(lk);
            if (l != null) out.add(l);
        }
        return new Synced(out, failed);
    }

    /**
     * What one {@link #sync} left.
     *
     * @param listeners the listeners the Service holds now
     * @param failed    some wanted address could not be bound (its error is in {@link #bindErrors()})
     */
    record Synced(List<Listener> listeners, boolean failed) {
    }

    /** Where the proxy listens now, sorted, e.g. {@code 127.96.0.10:80/TCP}. */
    Set<String> listening() {
        Set<String> out = new TreeSet<>();
        for (ListenerKey k : listeners.keySet()) out.add(k.toString());
        return out;
    }

    /** The last bind error per listener address that is still failing. */
    Map<String, String> bindErrors() {
        Map<String, String> out = new HashMap<>();
        bindErrors.forEach((k, v) -> out.put(k.toString(), v));
        return out;
    }

    /** The addresses one Service holds (a copy). */
    Set<ListenerKey> owned(String key) {
        return new HashSet<>(ownedBy.getOrDefault(key, Set.of()));
    }

    void closeAll() {
        for (Listener l : listeners.values()) l.close();
        listeners.clear();
        ownedBy.clear();
        ownerOf.clear();
    }
}
