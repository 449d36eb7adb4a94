package dev.roster.controllers.gc;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One informer per resource the garbage collector follows, indexed by owner uid. Informers other controllers already
 * run (unfiltered, all namespaces) are shared; the others are started here and stopped when their resource leaves
 * discovery.
 */
final class Monitors implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Monitors.class);
    static final String BY_OWNER_UID = "roster.dev/gc-owner-uid";
    /** What the collector's own caches keep of an object (upstream watches object metadata only). */
    private static final String[] CACHED_FIELDS =
            {"metadata.uid", "metadata.ownerReferences", "metadata.finalizers", "metadata.deletionTimestamp"};

    /** What the garbage collector does with a followed object's events. */
    interface Listener {
        void seen(GcResource resource, HasMetadata object);

        void updated(GcResource resource, HasMetadata old, HasMetadata object);

        void gone(GcResource resource, HasMetadata object);
    }

    /** A cached object and the resource it came from (generic list items may not say their kind). */
    record Found(GcResource resource, HasMetadata object) {}

    /** @param detach removes this monitor's event handler (a shared informer goes on running without it) */
    private record Monitor(GcResource resource, SharedIndexInformer<? extends HasMetadata> informer, boolean shared, Runnable detach) {
        void stop() {
            if (shared) detach.run();
            else informer.stop();
        }
    }

    private final KubernetesClient client;
    private final Listener listener;
    /** The shared informers by {@link GcResource#id()}; they run whether or not their resource is followed. */
    private final Map<String, SharedIndexInformer<? extends HasMetadata>> shared = new LinkedHashMap<>();
    /** Replaced as a whole on each sync, so readers need no lock. */
    private volatile Map<String, Monitor> monitors = Map.of();

    /** The shared informers must not have started yet: the owner index is added to them here. */
    Monitors(KubernetesClient client, Listener listener, Collection<SharedIndexInformer<? extends HasMetadata>> sharedInformers) {
        this.client = client;
        this.listener = listener;
        for (SharedIndexInformer<? extends HasMetadata> i : sharedInformers) {
            Class<? extends HasMetadata> type = i.getApiTypeClass();
            shared.put(GcResource.id(HasMetadata.getApiVersion(type), HasMetadata.getKind(type)), i);
            indexByOwner(i);
        }
    }

    /** Follows exactly these resources from now on: informers start for new ones and stop for vanished ones. */
    synchronized void sync(List<GcResource> resources) {
        Map<String, Monitor> next = new LinkedHashMap<>();
        for (GcResource r : resources) {
            Monitor m = monitors.get(r.id());
            next.put(r.id(), m != null && m.resource().equals(r) ? m : start(r));
        }
        for (Monitor m : monitors.values()) {
            if (next.get(m.resource().id()) != m) m.stop();
        }
        if (!next.keySet().equals(monitors.keySet())) LOG.info("garbage collector follows {} resources", next.size());
        monitors = Map.copyOf(next);
    }

    private Monitor start(GcResource r) {
        SharedIndexInformer<? extends HasMetadata> s = shared.get(r.id());
        if (s != null) return new Monitor(r, s, true, listen(r, s));
        var op = client.genericKubernetesResources(r.context());
        SharedIndexInformer<GenericKubernetesResource> i = (r.namespaced() ? op.inAnyNamespace() : op).runnableInformer(0);
        // the collector reads only these fields from its cache: a ConfigMap's data or a Secret's need not be kept
        i.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, GenericKubernetesResource.class,
                client.getKubernetesSerialization(), CACHED_FIELDS));
        indexByOwner(i);
        Runnable detach = listen(r, i);
        // fabric8 stops an informer whose first list fails; the collector would then never sync, so keep retrying
        i.exceptionHandler((started, t) -> {
            LOG.warn("garbage collector watch of {} failed, retrying: {}", r.plural(), t.toString());
            return true;
        });
        i.start();
        return new Monitor(r, i, false, detach);
    }

    private <T extends HasMetadata> Runnable listen(GcResource r, SharedIndexInformer<T> informer) {
        ResourceEventHandler<T> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(T o) { listener.seen(r, o); }

            @Override
            public void onUpdate(T old, T o) { listener.updated(r, old, o); }

            @Override
            public void onDelete(T o, boolean finalStateUnknown) { listener.gone(r, o); }
        };
        informer.addEventHandler(handler);
        return () -> informer.removeEventHandler(handler);
    }

    private static <T extends HasMetadata> void indexByOwner(SharedIndexInformer<T> informer) {
        Function<T, List<String>> uids = o -> {
            List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
            return refs == null ? List.of() : refs.stream().map(OwnerReference::getUid).toList();
        };
        informer.addIndexers(Map.of(BY_OWNER_UID, uids));
    }

    /** The followed resource of this kind, or null when discovery has not shown it (yet). */
    GcResource resource(String apiVersion, String kind) {
        Monitor m = monitors.get(GcResource.id(apiVersion, kind));
        return m == null ? null : m.resource();
    }

    Collection<GcResource> resources() {
        return monitors.values().stream().map(Monitor::resource).toList();
    }

    /** The cached objects naming {@code uid} as an owner, of every followed resource. */
    List<Found> dependentsOf(String uid) {
        List<Found> out = new ArrayList<>();
        for (Monitor m : monitors.values()) {
            for (HasMetadata d : m.informer().getIndexer().byIndex(BY_OWNER_UID, uid)) out.add(new Found(m.resource(), d));
        }
        return out;
    }

    /** True once something is followed and every followed resource has been listed. */
    boolean hasSynced() {
        Map<String, Monitor> now = monitors;
        return !now.isEmpty() && now.values().stream().allMatch(m -> m.informer().hasSynced());
    }

    /** Stops the informers started here (shared ones belong to their owner). */
    @Override
    public synchronized void close() {
        for (Monitor m : monitors.values()) m.stop();
        monitors = Map.of();
    }
}
