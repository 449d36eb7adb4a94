package dev.roster.controllers.gc;

import dev.roster.controllers.ManagedController;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The garbage collector for the kinds roster's controllers own: a dependent whose owners are all
 * gone is deleted (background deletion); an owner deleted in the foreground keeps its
 * {@code foregroundDeletion} finalizer until its blocking dependents are gone; an owner deleted
 * with {@code orphan} has its dependents' references to it removed first. Owners' absence is
 * confirmed with a live read, never from a cache that may lag.
 *
 * <p>Keys: {@code d|<apiVersion>|<kind>|<namespace>|<name>} for a dependent to check,
 * {@code o|…} for an owner being deleted with a finalizer.
 */
public final class GarbageCollector extends ManagedController<GarbageCollector> {
    static final String FOREGROUND = "foregroundDeletion";
    static final String ORPHAN = "orphan";

    private final KubernetesClient client;
    private final List<SharedIndexInformer<? extends HasMetadata>> watched;

    @SafeVarargs
    public GarbageCollector(KubernetesClient client, Timers timers, SharedIndexInformer<? extends HasMetadata>... informers) {
        super("garbage-collector", "garbage-collector-controller", timers, 2, informers);
        this.client = client;
        this.watched = List.of(informers);
        for (SharedIndexInformer<? extends HasMetadata> i : watched) register(i);
    }

    private <T extends HasMetadata> void register(SharedIndexInformer<T> informer) {
        informer.addEventHandler(Handlers.<T>of(this::seen, (o, n) -> seen(n), this::gone));
    }

    private void seen(HasMetadata o) {
        if (o.getMetadata().getOwnerReferences() != null && !o.getMetadata().getOwnerReferences().isEmpty()) {
            queue.add(key("d", o));
        }
        List<String> f = o.getMetadata().getFinalizers();
        if (o.getMetadata().getDeletionTimestamp() != null && f != null && (f.contains(FOREGROUND) || f.contains(ORPHAN))) {
            queue.add(key("o", o));
        }
    }

    /** An owner went away: its dependents may now be garbage; a dependent went away: its owner may finish. */
    private void gone(HasMetadata o) {
        String uid = o.getMetadata().getUid();
        for (HasMetadata d : dependentsOf(uid)) queue.add(key("d", d));
        if (o.getMetadata().getOwnerReferences() != null) {
            for (OwnerReference r : o.getMetadata().getOwnerReferences()) {
                queue.add(String.join("|", "o", r.getApiVersion(), r.getKind(), nz(o.getMetadata().getNamespace()), r.getName()));
            }
        }
    }

    private List<HasMetadata> dependentsOf(String uid) {
        List<HasMetadata> out = new ArrayList<>();
        for (SharedIndexInformer<? extends HasMetadata> i : watched) {
            for (HasMetadata d : i.getStore().list()) {
                if (ownedBy(d, uid)) out.add(d);
            }
        }
        return out;
    }

    /** The dependents of {@code uid} among the watched kinds, listed from the API server (same namespace as the owner). */
    private List<HasMetadata> liveDependentsOf(String uid, String ns) {
        List<HasMetadata> out = new ArrayList<>();
        for (SharedIndexInformer<? extends HasMetadata> i : watched) {
            var kind = client.resources(i.getApiTypeClass());
            for (HasMetadata d : (ns.isEmpty() ? kind : kind.inNamespace(ns)).list().getItems()) {
                if (ownedBy(d, uid)) out.add(d);
            }
        }
        return out;
    }

    private static boolean ownedBy(HasMetadata d, String uid) {
        List<OwnerReference> refs = d.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(r -> uid.equals(r.getUid()));
    }

    private static String key(String type, HasMetadata o) {
        return String.join("|", type, o.getApiVersion(), o.getKind(), nz(o.getMetadata().getNamespace()), o.getMetadata().getName());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    @Override
    protected void reconcile(String key) {
        String[] k = key.split("\\|", -1);
        GenericKubernetesResource obj = read(k[1], k[2], k[3], k[4]);
        if (obj == null) return;
        if (k[0].equals("d")) collectIfOrphaned(obj);
        else finishOwner(obj);
    }

    private GenericKubernetesResource read(String apiVersion, String kind, String ns, String name) {
        var r = client.genericKubernetesResources(apiVersion, kind);
        return ns.isEmpty() ? r.withName(name).get() : r.inNamespace(ns).withName(name).get();
    }

    /** Deletes a dependent once no owner it names exists any more (same uid, confirmed live). */
    private void collectIfOrphaned(GenericKubernetesResource dep) {
        List<OwnerReference> owners = dep.getMetadata().getOwnerReferences();
        if (owners == null || owners.isEmpty() || dep.getMetadata().getDeletionTimestamp() != null) return;
        String ns = nz(dep.getMetadata().getNamespace());
        boolean foreground = false;
        for (OwnerReference r : owners) {
            GenericKubernetesResource owner = read(r.getApiVersion(), r.getKind(), ns, r.getName());
            if (owner != null && Objects.equals(owner.getMetadata().getUid(), r.getUid())) {
                List<String> f = owner.getMetadata().getFinalizers();
                boolean ownerForeground = owner.getMetadata().getDeletionTimestamp() != null && f != null && f.contains(FOREGROUND);
                if (!ownerForeground) return; // a live owner keeps it
                foreground = true;
            }
        }
        var api = client.genericKubernetesResources(dep.getApiVersion(), dep.getKind());
        var one = ns.isEmpty() ? api.withName(dep.getMetadata().getName()) : api.inNamespace(ns).withName(dep.getMetadata().getName());
        try {
            one.withPropagationPolicy(foreground ? DeletionPropagation.FOREGROUND : DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
    }

    /**
     * An owner with {@code orphan} releases its dependents; one with {@code foregroundDeletion}
     * waits until its blocking dependents are gone (deleting them); then the finalizer comes off.
     */
    private void finishOwner(GenericKubernetesResource owner) {
        List<String> finalizers = owner.getMetadata().getFinalizers();
        if (owner.getMetadata().getDeletionTimestamp() == null || finalizers == null) return;
        String uid = owner.getMetadata().getUid();
        if (finalizers.contains(ORPHAN)) {
            // read live: a dependent created just before the delete may not be in an informer's cache yet, and
            // one missed here would be collected as garbage once the owner is gone instead of being orphaned
            for (HasMetadata d : liveDependentsOf(uid, nz(owner.getMetadata().getNamespace()))) releaseFrom(d, uid);
            removeFinalizer(owner, ORPHAN);
        } else if (finalizers.contains(FOREGROUND)) {
            List<HasMetadata> blocking = dependentsOf(uid).stream().filter(d -> blocks(d, uid)).toList();
            for (HasMetadata d : blocking) queue.add(key("d", d));
            if (blocking.isEmpty()) removeFinalizer(owner, FOREGROUND);
        }
    }

    private static boolean blocks(HasMetadata d, String ownerUid) {
        return d.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> ownerUid.equals(r.getUid()) && Boolean.TRUE.equals(r.getBlockOwnerDeletion()));
    }

    private void releaseFrom(HasMetadata d, String ownerUid) {
        List<Map<String, Object>> kept = new ArrayList<>();
        for (OwnerReference r : d.getMetadata().getOwnerReferences()) {
            if (!ownerUid.equals(r.getUid())) kept.add(client.getKubernetesSerialization().convertValue(r, Map.class));
        }
        patch(d.getApiVersion(), d.getKind(), nz(d.getMetadata().getNamespace()), d.getMetadata().getName(),
                Map.of("metadata", Map.of("ownerReferences", kept)));
    }

    private void removeFinalizer(GenericKubernetesResource owner, String finalizer) {
        List<String> rest = new ArrayList<>(owner.getMetadata().getFinalizers());
        rest.remove(finalizer);
        // the resourceVersion makes this a guarded write: a finalizer added meanwhile is kept
        Map<String, Object> meta = Map.of("finalizers", rest, "resourceVersion", owner.getMetadata().getResourceVersion());
        patch(owner.getApiVersion(), owner.getKind(), nz(owner.getMetadata().getNamespace()), owner.getMetadata().getName(),
                Map.of("metadata", meta));
    }

    private void patch(String apiVersion, String kind, String ns, String name, Map<String, Object> mergePatch) {
        var api = client.genericKubernetesResources(apiVersion, kind);
        var one = ns.isEmpty() ? api.withName(name) : api.inNamespace(ns).withName(name);
        try {
            one.patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(mergePatch));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
    }
}
