package dev.roster.controllers.gc;

import dev.roster.controllers.ManagedController;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector for every resource the API serves that can be listed, watched and deleted (found through
 * discovery, refreshed periodically so resources that appear later are followed too): a dependent whose owners are
 * all gone is deleted (background deletion); an owner deleted in the foreground keeps its {@code foregroundDeletion}
 * finalizer until its blocking dependents are gone; an owner deleted with {@code orphan} has its dependents'
 * references to it removed first. Owners' absence is confirmed with a live read, never from a cache that may lag.
 *
 * <p>Keys: {@code d|<apiVersion>|<kind>|<namespace>|<name>} for a dependent to check,
 * {@code o|…} for an owner being deleted with a finalizer.
 */
public final class GarbageCollector extends ManagedController<GarbageCollector> implements Monitors.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    static final String FOREGROUND = "foregroundDeletion";
    static final String ORPHAN = "orphan";
    /** How often discovery is read again for resources that appeared or went (upstream's 30 s). */
    public static final Duration DISCOVERY_PERIOD = Duration.ofSeconds(30);
    /** How soon a failed first discovery is tried again. */
    private static final Duration DISCOVERY_RETRY = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final Timers timers;
    private final Duration discoveryPeriod;
    private final Monitors monitors;
    private volatile boolean discovered;
    private volatile long lastDiscoveryNanos;
    private volatile boolean triedDiscovery;
    private Timers.Cancel refresh;
    private boolean closed;

    /**
     * @param shared informers other controllers run, unfiltered over all namespaces and not started yet: the
     *     collector uses them instead of opening a second watch of their resource
     */
    @SafeVarargs
    public GarbageCollector(KubernetesClient client, Timers timers, SharedIndexInformer<? extends HasMetadata>... shared) {
        this(client, timers, DISCOVERY_PERIOD, shared);
    }

    @SafeVarargs
    public GarbageCollector(KubernetesClient client, Timers timers, Duration discoveryPeriod,
            SharedIndexInformer<? extends HasMetadata>... shared) {
        super("garbage-collector", "garbage-collector-controller", timers, 2);
        this.client = client;
        this.timers = timers;
        this.discoveryPeriod = discoveryPeriod;
        this.monitors = new Monitors(client, this, List.of(shared));
    }

    /** Reads discovery and starts following its resources; the workers start once every one has been listed. */
    @Override
    public synchronized void start() {
        start(() -> (discovered || discoverOnce()) && monitors.hasSynced());
        refresh = timers.every(discoveryPeriod, this::rediscover);
    }

    /** The first discovery, retried by the start-up poll until the server answers (at most once a second). */
    private boolean discoverOnce() {
        // I/O pacing on the wall clock, like the start-up poll itself: a manual test clock must not stop the retries
        long now = System.nanoTime();
        if (triedDiscovery && now - lastDiscoveryNanos < DISCOVERY_RETRY.toNanos()) return false;
        triedDiscovery = true;
        lastDiscoveryNanos = now;
        return rediscover();
    }

    /** Follows what discovery serves now; on failure keeps following what it followed. */
    synchronized boolean rediscover() {
        if (closed) return false; // a start-up poll or refresh that raced close must not start watches again
        try {
            monitors.sync(DeletableResources.discover(client));
            discovered = true;
            return true;
        } catch (RuntimeException e) {
            LOG.warn("garbage collector: discovery failed, following the resources found before: {}", e.toString());
            return false;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (refresh != null) refresh.cancel();
        super.close();
        monitors.close();
    }

    @Override
    public void seen(GcResource resource, HasMetadata o) {
        enqueue(resource, o, true);
    }

    /**
     * As upstream's graph builder: a dependent is looked at again only when its owners change, not on every status
     * write or lease renewal (an owner's deletion brings its dependents back through {@link #gone}).
     */
    @Override
    public void updated(GcResource resource, HasMetadata old, HasMetadata o) {
        enqueue(resource, o, !Objects.equals(old.getMetadata().getOwnerReferences(), o.getMetadata().getOwnerReferences()));
    }

    private void enqueue(GcResource resource, HasMetadata o, boolean checkOwners) {
        List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
        if (checkOwners && owners != null && !owners.isEmpty()) queue.add(key("d", resource, o));
        List<String> f = o.getMetadata().getFinalizers();
        if (o.getMetadata().getDeletionTimestamp() != null && f != null && (f.contains(FOREGROUND) || f.contains(ORPHAN))) {
            queue.add(key("o", resource, o));
        }
    }

    /** An owner went away: its dependents may now be garbage; a dependent went away: its owner may finish. */
    @Override
    public void gone(GcResource resource, HasMetadata o) {
        for (Monitors.Found d : monitors.dependentsOf(o.getMetadata().getUid())) queue.add(key("d", d.resource(), d.object()));
        if (o.getMetadata().getOwnerReferences() != null) {
            for (OwnerReference r : o.getMetadata().getOwnerReferences()) {
                queue.add(String.join("|", "o", r.getApiVersion(), r.getKind(), nz(o.getMetadata().getNamespace()), r.getName()));
            }
        }
    }

    /** The dependents of {@code uid} listed from the API server: in the owner's namespace, or anywhere for a cluster-scoped owner. */
    private List<Monitors.Found> liveDependentsOf(String uid, String ns) {
        List<Monitors.Found> out = new ArrayList<>();
        for (GcResource r : monitors.resources()) {
            if (!ns.isEmpty() && !r.namespaced()) continue; // a cluster-scoped object cannot have a namespaced owner
            var kind = client.genericKubernetesResources(r.context());
            GenericKubernetesResourceList list = !r.namespaced() ? kind.list() : ns.isEmpty() ? kind.inAnyNamespace().list() : kind.inNamespace(ns).list();
            for (GenericKubernetesResource d : list.getItems()) {
                if (ownedBy(d, uid)) out.add(new Monitors.Found(r, d));
            }
        }
        return out;
    }

    private static boolean ownedBy(HasMetadata d, String uid) {
        List<OwnerReference> refs = d.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(r -> uid.equals(r.getUid()));
    }

    private static String key(String type, GcResource r, HasMetadata o) {
        return String.join("|", type, r.apiVersion(), r.kind(), nz(o.getMetadata().getNamespace()), o.getMetadata().getName());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    @Override
    protected void reconcile(String key) {
        String[] k = key.split("\\|", -1);
        GenericKubernetesResource obj = read(k[1], k[2], k[3], k[4]);
        if (obj == null) return;
        if (k[0].equals("d")) collectIfOrphaned(k[1], k[2], obj);
        else finishOwner(k[1], k[2], obj);
    }

    /** The operations on one kind: through discovery's description when followed, else fabric8 resolves the kind. */
    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> kind(
            String apiVersion, String kind) {
        GcResource r = monitors.resource(apiVersion, kind);
        return r != null ? client.genericKubernetesResources(r.context()) : client.genericKubernetesResources(apiVersion, kind);
    }

    private Resource<GenericKubernetesResource> one(String apiVersion, String kind, String ns, String name) {
        GcResource r = monitors.resource(apiVersion, kind);
        var api = kind(apiVersion, kind);
        boolean namespaced = r != null ? r.namespaced() : !ns.isEmpty();
        return namespaced ? api.inNamespace(ns).withName(name) : api.withName(name);
    }

    private GenericKubernetesResource read(String apiVersion, String kind, String ns, String name) {
        return one(apiVersion, kind, ns, name).get();
    }

    /** Deletes a dependent once no owner it names exists any more (same uid, confirmed live). */
    private void collectIfOrphaned(String apiVersion, String kind, GenericKubernetesResource dep) {
        List<OwnerReference> owners = dep.getMetadata().getOwnerReferences();
        if (owners == null || owners.isEmpty() || dep.getMetadata().getDeletionTimestamp() != null) return;
        String ns = nz(dep.getMetadata().getNamespace());
        boolean foreground = false;
        for (OwnerReference r : owners) {
            GenericKubernetesResource owner = ownerOf(ns, r);
            if (owner != null && Objects.equals(owner.getMetadata().getUid(), r.getUid())) {
                List<String> f = owner.getMetadata().getFinalizers();
                boolean ownerForeground = owner.getMetadata().getDeletionTimestamp() != null && f != null && f.contains(FOREGROUND);
                if (!ownerForeground) return; // a live owner keeps it
                foreground = true;
            }
        }
        try {
            one(apiVersion, kind, ns, dep.getMetadata().getName())
                    .withPropagationPolicy(foreground ? DeletionPropagation.FOREGROUND : DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
    }

    /**
     * The owner a reference names, read live; null when it is absent. A cluster-scoped dependent cannot have a
     * namespaced owner (upstream reports the reference invalid and treats the owner as absent).
     */
    private GenericKubernetesResource ownerOf(String dependentNs, OwnerReference r) {
        GcResource owner = monitors.resource(r.getApiVersion(), r.getKind());
        if (dependentNs.isEmpty() && owner != null && owner.namespaced()) return null;
        return read(r.getApiVersion(), r.getKind(), dependentNs, r.getName());
    }

    /**
     * An owner with {@code orphan} releases its dependents; one with {@code foregroundDeletion}
     * waits until its blocking dependents are gone (deleting them); then the finalizer comes off.
     */
    private void finishOwner(String apiVersion, String kind, GenericKubernetesResource owner) {
        List<String> finalizers = owner.getMetadata().getFinalizers();
        if (owner.getMetadata().getDeletionTimestamp() == null || finalizers == null) return;
        String uid = owner.getMetadata().getUid();
        if (finalizers.contains(ORPHAN)) {
            // read live: a dependent created just before the delete may not be in an informer's cache yet, and
            // one missed here would be collected as garbage once the owner is gone instead of being orphaned
            for (Monitors.Found d : liveDependentsOf(uid, nz(owner.getMetadata().getNamespace()))) releaseFrom(d, uid);
            removeFinalizer(apiVersion, kind, owner, ORPHAN);
        } else if (finalizers.contains(FOREGROUND)) {
            List<Monitors.Found> blocking = monitors.dependentsOf(uid).stream().filter(d -> blocks(d.object(), uid)).toList();
            for (Monitors.Found d : blocking) queue.add(key("d", d.resource(), d.object()));
            if (blocking.isEmpty()) removeFinalizer(apiVersion, kind, owner, FOREGROUND);
        }
    }

    private static boolean blocks(HasMetadata d, String ownerUid) {
        return d.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> ownerUid.equals(r.getUid()) && Boolean.TRUE.equals(r.getBlockOwnerDeletion()));
    }

    private void releaseFrom(Monitors.Found found, String ownerUid) {
        HasMetadata d = found.object();
        List<Map<String, Object>> kept = new ArrayList<>();
        for (OwnerReference r : d.getMetadata().getOwnerReferences()) {
            if (!ownerUid.equals(r.getUid())) kept.add(client.getKubernetesSerialization().convertValue(r, Map.class));
        }
        patch(found.resource().apiVersion(), found.resource().kind(), nz(d.getMetadata().getNamespace()), d.getMetadata().getName(),
                Map.of("metadata", Map.of("ownerReferences", kept)));
    }

    private void removeFinalizer(String apiVersion, String kind, GenericKubernetesResource owner, String finalizer) {
        List<String> rest = new ArrayList<>(owner.getMetadata().getFinalizers());
        rest.remove(finalizer);
        // the resourceVersion makes this a guarded write: a finalizer added meanwhile is kept
        Map<String, Object> meta = Map.of("finalizers", rest, "resourceVersion", owner.getMetadata().getResourceVersion());
        patch(apiVersion, kind, nz(owner.getMetadata().getNamespace()), owner.getMetadata().getName(), Map.of("metadata", meta));
    }

    private void patch(String apiVersion, String kind, String ns, String name, Map<String, Object> mergePatch) {
        try {
            one(apiVersion, kind, ns, name).patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(mergePatch));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
    }
}
