package dev.roster.apiserver.authz.rbac;

import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.cache.CacheEvent;
import dev.roster.apiserver.cache.CacheHub;
import dev.roster.apiserver.cache.CacheWatcher;
import dev.roster.apiserver.cache.CachedObject;
import dev.roster.apiserver.cache.WatchFilter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The RBAC objects as the authorizer reads them, kept from the API server's own watch cache: roles by name and
 * bindings by subject, so a request looks up only the bindings naming its user and groups instead of scanning them
 * all. The index is rebuilt when a role or binding changed: each reader first looks, without blocking, whether the
 * cache watchers of the four resources hold events, so a change the cache has applied is seen by the next request.
 */
public final class RbacIndex implements AutoCloseable {
    static final String GROUP = "rbac.authorization.k8s.io";

    private final CacheHub cache;
    private final java.util.function.LongSupplier storageRevision;
    private final List<ResourceType> types;
    private final CacheWatcher[] watchers;
    private volatile RbacSnapshot snapshot;

    /** @param storageRevision the storage's newest revision, which {@link #latest} waits for the cache to reach */
    public RbacIndex(CacheHub cache, ResourceRegistry registry, java.util.function.LongSupplier storageRevision) {
        this.cache = cache;
        this.storageRevision = storageRevision;
        this.types = List.of(type(registry, "clusterroles"), type(registry, "roles"), type(registry, "clusterrolebindings"),
                type(registry, "rolebindings"));
        this.watchers = new CacheWatcher[types.size()];
        synchronized (this) {
            for (int i = 0; i < watchers.length; i++) watchers[i] = register(i);
            snapshot = build();
        }
    }

    private static ResourceType type(ResourceRegistry registry, String resource) {
        return registry.find(GROUP, "v1", resource).orElseThrow();
    }

    private CacheWatcher register(int i) {
        ResourceType t = types.get(i);
        // from the current revision on: the snapshot built right after reads everything before it
        return cache.watch(t.storagePrefix(), t.listPrefix(null), cache.revision(), WatchFilter.ALL).watcher();
    }

    /**
     * The current roles and bindings, with every change the watch cache has applied so far. Lock-free while nothing
     * changed; events are only ever taken under the lock, so a reader that finds none queued while another rebuilds
     * gets the new snapshot from {@link #latest}, which waits for the rebuild.
     */
    public RbacSnapshot current() {
        for (CacheWatcher w : watchers) {
            if (w.hasEvents() || w.overflowed()) return refresh();
        }
        return snapshot;
    }

    /**
     * The roles and bindings once the watch cache has applied every write stored so far (waiting up to a second):
     * asked before refusing a request, so a binding written a moment ago is never missed.
     */
    public RbacSnapshot latest() {
        cache.waitFor(storageRevision.getAsLong(), 1_000);
        return refresh();
    }

    private synchronized RbacSnapshot refresh() {
        boolean changed = false;
        for (int i = 0; i < watchers.length; i++) {
            changed |= drain(watchers[i]);
            if (watchers[i].isClosed()) {
                watchers[i] = register(i); // overflowed: read everything again
                changed = true;
            }
        }
        if (changed) snapshot = build();
        return snapshot;
    }

    /** Takes every queued event; true when there was one, or when the watcher was closed for falling behind. */
    private static boolean drain(CacheWatcher w) {
        boolean any = w.overflowed();
        try {
            for (CacheEvent e = w.poll(0, TimeUnit.MILLISECONDS); e != null; e = w.poll(0, TimeUnit.MILLISECONDS)) any = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return any;
    }

    private RbacSnapshot build() {
        RbacSnapshot.Builder b = new RbacSnapshot.Builder();
        for (CachedObject o : list(0)) b.clusterRole(o.name(), o.object());
        for (CachedObject o : list(1)) b.role(o.namespace(), o.name(), o.object());
        for (CachedObject o : list(2)) b.binding("", o.name(), o.object());
        for (CachedObject o : list(3)) b.binding(o.namespace(), o.name(), o.object());
        return b.build();
    }

    private List<CachedObject> list(int i) {
        ResourceType t = types.get(i);
        return cache.list(t.storagePrefix(), t.listPrefix(null)).items();
    }

    @Override
    public void close() {
        for (CacheWatcher w : watchers) w.close();
    }
}
