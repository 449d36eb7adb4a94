package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.auth.UserInfo;
import dev.roster.api.apply.FieldManager;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.cache.CacheHub;
import dev.roster.apiserver.cache.CachedObject;
import dev.roster.storage.KeyValue;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Create, read, update and delete with upstream semantics over the MVCC storage: system metadata,
 * optimistic concurrency on resourceVersion, retried read-modify-write for updates that carry no
 * resourceVersion, finalizers and graceful deletion. Objects are stored without their
 * resourceVersion; it is the key's mod revision, stamped on read.
 */
public final class ResourceStore {
    /** Namespaces that upstream's NamespaceLifecycle admission refuses to delete. */
    static final Set<String> IMMORTAL_NAMESPACES = Set.of("default", "kube-system", "kube-public");
    /**
     * Upstream's GuaranteedUpdate retries a lost compare-and-swap for as long as it takes: every lost
     * attempt means another writer's write went in, so the object keeps moving. A bound keeps a bug from
     * looping forever; it is high because 8 writers on 2 busy cores lost 16 rounds in a row in a test.
     */
    private static final int MAX_RETRIES = 256;

    private final Storage storage;
    private final CacheHub cache;
    private final Admission admission;
    private final Clock clock;
    private final ResourceType namespaces;
    private final FieldManager fieldManager;
    private final int maxStoredBytes;

    /**
     * Who a write is recorded for in managedFields: the manager and the subresource written
     * through (null for the main resource); {@code user} is who sent it, for the admission checks that depend on
     * it (null inside the API server).
     */
    public record FieldOwner(String manager, String subresource, UserInfo user) {
        public FieldOwner(String manager, String subresource) {
            this(manager, subresource, null);
        }
    }

    /** @param maxStoredBytes the largest key and value written, as etcd limits a request (1.5 MiB by default) */
    public ResourceStore(Storage storage, CacheHub cache, Admission admission, Clock clock, ResourceType namespaces,
            int maxStoredBytes) {
        this.maxStoredBytes = maxStoredBytes;
        this.storage = storage;
        this.cache = cache;
        this.admission = admission;
        this.clock = clock;
        this.namespaces = namespaces;
        this.fieldManager = new FieldManager(clock);
    }

    public FieldManager fieldManager() {
        return fieldManager;
    }

    /**
     * A mutation of the current object for {@link #update}; returns the desired new version. It
     * may run more than once (after a lost race) and must return a fresh tree each time.
     */
    @FunctionalInterface
    public interface Mutation {
        ObjectNode apply(ObjectNode current);
    }

    public CachedObject get(RequestTarget t) {
        KeyValue kv = storage.get(t.key()).orElseThrow(() -> ApiException.notFound(t.type(), t.name()));
        // a GET replies with the stored bytes stamped: parsed only if someone reads the tree
        return CachedObject.lazy(kv.key(), kv.value(), kv.modRevision());
    }

    public Optional<CachedObject> find(ResourceType type, String namespace, String name) {
        return storage.get(type.key(namespace, name)).map(kv -> CachedObject.fromStored(kv.key(), kv.value(), kv.modRevision()));
    }

    public CachedObject create(RequestTarget t, ObjectNode body, boolean dryRun) {
        return create(t, body, dryRun, null);
    }

    /** A create recorded in managedFields for {@code owner} (null: the body's managedFields are kept as they are). */
    public CachedObject create(RequestTarget t, ObjectNode body, boolean dryRun, FieldOwner owner) {
        ResourceType type = t.type();
        ObjectNode obj = Metadata.typeFirst(body, Versions.converts(type) ? "v1" : type.apiVersion(), type.kind());
        ObjectNode meta = Metadata.of(obj);
        String rv = Metadata.resourceVersion(obj);
        if (rv != null && !rv.isEmpty()) {
            throw ApiException.badRequest("resourceVersion should not be set on objects to be created");
        }
        if (type.namespaced()) {
            String ns = Metadata.namespace(obj);
            if (ns != null && !ns.isEmpty() && !ns.equals(t.namespace())) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta.put("namespace", t.namespace());
            requireLiveNamespace(t.namespace(), type);
        } else {
            meta.remove("namespace");
        }
        String name = Metadata.name(obj);
        if ((name == null || name.isEmpty()) && meta.hasNonNull("generateName")) {
            name = Metadata.generatedName(meta.get("generateName").asString());
            meta.put("name", name);
        }
        meta.put("uid", Metadata.newUid());
        meta.put("creationTimestamp", Metadata.timestamp(clock.instant()));
        meta.remove("deletionTimestamp");
        meta.remove("deletionGracePeriodSeconds");
        meta.remove("resourceVersion");
        meta.remove("generation");
        // managedFields last in metadata, where upstream serialises them, so that a later
        // write that changes nothing also changes no byte
        JsonNode managed = meta.remove("managedFields");
        if (managed != null) meta.set("managedFields", managed);
        Strategy.prepareForCreate(type, obj);
        Runnable undo = admission.admit(type, obj, null,
                owner == null ? null : o -> fieldManager.update(type, null, null, o, owner.manager()));
        Strategy.afterAdmission(type, obj);
        userChecks(owner, AdmissionCheck.Operation.CREATE, t, obj, null, undo);
        if (dryRun) {
            undo.run();
            return new CachedObject(type.key(t.namespace(), name), obj, 0);
        }
        String key = type.key(t.namespace(), name);
        try {
            byte[] stored = Json.bytes(obj);
            checkSize(key, stored);
            KeyValue kv = storage.create(key, stored);
            return CachedObject.written(key, obj, kv.modRevision(), stored);
        } catch (StorageException.KeyExists e) {
            undo.run();
            throw ApiException.alreadyExists(type, name);
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
    }

    /** etcd refuses a request over its limit; the key and value are what a put carries. */
    private void checkSize(String key, byte[] value) {
        if ((long) key.length() + value.length > maxStoredBytes) throw ApiException.storedObjectTooLarge();
    }

    private void requireLiveNamespace(String ns, ResourceType type) {
        CachedObject n = cache.get(namespaces.storagePrefix(), namespaces.key(null, ns));
        if (n == null) n = find(namespaces, null, ns).orElseThrow(() -> ApiException.namespaceNotFound(ns));
        if (Metadata.isDeleting(n.object()) && !type.resource().equals("events")) {
            throw ApiException.forbidden("unable to create new content in namespace " + ns + " because it is being terminated");
        }
    }

    /**
     * Read-modify-write with retries, as upstream's GuaranteedUpdate: the mutation sees the
     * current object each attempt. A resourceVersion in the result that differs from the stored
     * one is a stale write and fails with 409 Conflict.
     */
    public CachedObject update(RequestTarget t, Mutation mutation, boolean dryRun) {
        return update(t, mutation, dryRun, null);
    }

    /** An update recorded in managedFields for {@code owner}; null leaves managedFields to the mutation. */
    public CachedObject update(RequestTarget t, Mutation mutation, boolean dryRun, FieldOwner owner) {
        ResourceType type = t.type();
        for (int attempt = 0; ; attempt++) {
            KeyValue cur = storage.get(t.key()).orElseThrow(() -> ApiException.notFound(type, t.name()));
            CachedObject old = CachedObject.fromStored(cur.key(), cur.value(), cur.modRevision());
            ObjectNode updated = mutation.apply(old.copy());
            updated = Metadata.typeFirst(updated, old.object().path("apiVersion").asString(), old.object().path("kind").asString());
            String rv = Metadata.resourceVersion(updated);
            if (rv != null && !rv.isEmpty() && !rv.equals(Long.toString(cur.modRevision()))) {
                throw ApiException.conflict(type, t.name());
            }
            checkIdentity(t, updated);
            keepSystemMetadata(updated, old.object());
            if ("status".equals(t.subresource())) {
                updated = Strategy.mergeStatusUpdate(updated, old.object());
            } else if (t.subresource() == null) {
                Strategy.prepareForUpdate(type, updated, old.object());
            }
            // a binding sets spec.nodeName, which pod update validation forbids: upstream's binding
            // REST does not run it either
            ObjectNode live = old.object();
            Runnable undo = "binding".equals(t.subresource()) ? () -> { } : admission.admit(type, updated, live,
                    owner == null ? null : o -> fieldManager.update(type, owner.subresource(), live, o, owner.manager()));
            userChecks(owner, AdmissionCheck.Operation.UPDATE, t, updated, live, undo);
            Metadata.of(updated).remove("resourceVersion");
            byte[] bytes = Json.bytes(updated);
            if (java.util.Arrays.equals(bytes, cur.value()) || dryRun) {
                undo.run();
                if (dryRun) Metadata.of(updated).put("resourceVersion", Long.toString(cur.modRevision()));
                return dryRun ? new CachedObject(cur.key(), updated, cur.modRevision()) : old;
            }
            try {
                checkSize(t.key(), bytes);
            } catch (ApiException e) {
                undo.run();
                throw e;
            }
            try {
                if (Metadata.isDeleting(updated) && !Metadata.hasFinalizers(updated) && !isGracefulPod(type, updated)
                        && !isFinalizingNamespace(type, updated)) {
                    KeyValue gone = storage.delete(t.key(), cur.modRevision());
                    admission.afterServiceWrite(type, old.object(), null);
                    return stamped(cur.key(), updated, gone.modRevision());
                }
                KeyValue kv = storage.update(t.key(), bytes, cur.modRevision());
                admission.afterServiceWrite(type, old.object(), updated);
                return CachedObject.written(kv.key(), updated, kv.modRevision(), bytes);
            } catch (StorageException.Conflict | StorageException.NotFound e) {
                undo.run();
                if (attempt >= MAX_RETRIES) throw ApiException.conflict(type, t.name());
            }
        }
    }

    private static CachedObject stamped(String key, ObjectNode obj, long revision) {
        Metadata.of(obj).put("resourceVersion", Long.toString(revision));
        return new CachedObject(key, obj, revision);
    }

    private static void checkIdentity(RequestTarget t, ObjectNode updated) {
        String name = Metadata.name(updated);
        if (name != null && !name.isEmpty() && !name.equals(t.name())) {
            throw ApiException.badRequest("the name of the object (" + name + ") does not match the name on the URL (" + t.name() + ")");
        }
        String ns = Metadata.namespace(updated);
        if (t.type().namespaced() && ns != null && !ns.isEmpty() && !ns.equals(t.namespace())) {
            throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    /** Fields of metadata that only the server sets survive any update unchanged. */
    private void keepSystemMetadata(ObjectNode updated, ObjectNode old) {
        ObjectNode meta = Metadata.of(updated);
        JsonNode o = old.path("metadata");
        meta.put("name", o.path("name").asString());
        if (o.has("namespace")) meta.put("namespace", o.get("namespace").asString());
        for (String f : new String[] {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"}) {
            if (o.has(f)) meta.set(f, o.get(f).deepCopy());
            else meta.remove(f);
        }
    }

    /** A namespace goes only once its spec.finalizers are gone too (the namespace controller's job). */
    private static boolean isFinalizingNamespace(ResourceType type, JsonNode ns) {
        return type.resource().equals("namespaces") && type.group().isEmpty() && !ns.path("spec").path("finalizers").isEmpty();
    }

    /** The user-dependent admission checks for a create that stores nothing itself (a TokenRequest). */
    public void checkCreate(UserInfo user, RequestTarget t, ObjectNode obj) {
        check(user, AdmissionCheck.Operation.CREATE, t, obj, null);
    }

    /** The user-dependent admission checks; nothing to check for a write made inside the API server (no user). */
    private void check(UserInfo user, AdmissionCheck.Operation op, RequestTarget t, ObjectNode obj, JsonNode old) {
        if (user != null) admission.check(new AdmissionCheck.Attributes(user, op, t, obj, old));
    }

    /** Runs the user-dependent admission checks; a refusal gives back what admission allocated. */
    private void userChecks(FieldOwner owner, AdmissionCheck.Operation op, RequestTarget t, ObjectNode obj, JsonNode old,
            Runnable undo) {
        if (owner == null) return;
        try {
            check(owner.user(), op, t, obj, old);
        } catch (RuntimeException e) {
            undo.run();
            throw e;
        }
    }

    private static boolean isGracefulPod(ResourceType type, JsonNode pod) {
        return type.resource().equals("pods") && type.group().isEmpty()
                && pod.path("metadata").path("deletionGracePeriodSeconds").asLong(0) > 0;
    }

    /** The outcome of a delete: the object, and whether it is gone or only marked for deletion. */
    public record Deleted(CachedObject object, boolean gone) {}

    public Deleted delete(RequestTarget t, DeleteOptions opts) {
        return delete(t, opts, null);
    }

    /** A delete sent by {@code user} (null inside the API server), who the admission checks see. */
    public Deleted delete(RequestTarget t, DeleteOptions opts, UserInfo user) {
        ResourceType type = t.type();
        if (type.resource().equals("namespaces") && IMMORTAL_NAMESPACES.contains(t.name())) {
            throw ApiException.forbidden("namespaces \"" + t.name() + "\" is forbidden: this namespace may not be deleted");
        }
        for (int attempt = 0; ; attempt++) {
            KeyValue cur = storage.get(t.key()).orElseThrow(() -> ApiException.notFound(type, t.name()));
            CachedObject old = CachedObject.fromStored(cur.key(), cur.value(), cur.modRevision());
            checkPreconditions(t, old, opts);
            ObjectNode obj = old.copy();
            check(user, AdmissionCheck.Operation.DELETE, t, obj, old.object());
            long grace = graceSeconds(type, obj, opts);
            String finalizer = switch (opts.propagationPolicy() == null ? "" : opts.propagationPolicy()) {
                case "Foreground" -> "foregroundDeletion";
                case "Orphan" -> "orphan";
                default -> null;
            };
            boolean namespaceFinalizing = type.resource().equals("namespaces") && !obj.path("spec").path("finalizers").isEmpty();
            boolean marks = grace > 0 || finalizer != null || Metadata.hasFinalizers(obj) || namespaceFinalizing;
            if (opts.dryRun()) return new Deleted(old, !marks);
            try {
                if (!marks) {
                    KeyValue gone = storage.delete(t.key(), cur.modRevision());
                    admission.afterServiceWrite(type, old.object(), null);
                    return new Deleted(stamped(cur.key(), obj, gone.modRevision()), true);
                }
                if (Metadata.isDeleting(obj) && grace == 0 && finalizer == null) {
                    return new Deleted(old, false);
                }
                markDeleting(type, obj, grace, finalizer);
                Metadata.of(obj).remove("resourceVersion");
                KeyValue kv = storage.update(t.key(), Json.bytes(obj), cur.modRevision());
                return new Deleted(stamped(kv.key(), obj, kv.modRevision()), false);
            } catch (StorageException.Conflict e) {
                if (attempt >= MAX_RETRIES) throw ApiException.conflict(type, t.name());
            } catch (StorageException.NotFound e) {
                throw ApiException.notFound(type, t.name());
            }
        }
    }

    private void markDeleting(ResourceType type, ObjectNode obj, long grace, String finalizer) {
        ObjectNode meta = Metadata.of(obj);
        Instant now = clock.instant();
        if (!meta.hasNonNull("deletionTimestamp") || grace > 0) {
            meta.put("deletionTimestamp", Metadata.timestamp(now.plusSeconds(grace)));
            meta.put("deletionGracePeriodSeconds", grace);
        }
        if (finalizer != null) {
            ArrayNode f = meta.withArray("finalizers");
            boolean present = false;
            for (JsonNode x : f) present |= x.asString().equals(finalizer);
            if (!present) f.add(finalizer);
        }
        if (type.resource().equals("namespaces")) {
            ((ObjectNode) obj.withObject("status")).put("phase", "Terminating");
        }
    }

    /**
     * Pods bound to a node get a grace period (the request's, else their spec's, else 30 s) for
     * the node agent to stop them; everything else is deleted at once.
     */
    private static long graceSeconds(ResourceType type, JsonNode obj, DeleteOptions opts) {
        if (!type.resource().equals("pods") || !type.group().isEmpty()) return 0;
        String phase = obj.path("status").path("phase").asString("");
        if (obj.path("spec").path("nodeName").asString("").isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
            return 0;
        }
        if (opts.gracePeriodSeconds() != null) return opts.gracePeriodSeconds();
        return obj.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    }

    private static void checkPreconditions(RequestTarget t, CachedObject old, DeleteOptions opts) {
        if (opts.preconditionUid() != null && !opts.preconditionUid().equals(Metadata.uid(old.object()))) {
            throw ApiException.conflict(t.type(), t.name(), "Precondition failed: UID in precondition: "
                    + opts.preconditionUid() + ", UID in object meta: " + Metadata.uid(old.object()));
        }
        if (opts.preconditionResourceVersion() != null
                && !opts.preconditionResourceVersion().equals(Long.toString(old.modRevision()))) {
            throw ApiException.conflict(t.type(), t.name(), "Precondition failed: ResourceVersion in precondition: "
                    + opts.preconditionResourceVersion() + ", ResourceVersion in object meta: " + old.modRevision());
        }
    }
}
