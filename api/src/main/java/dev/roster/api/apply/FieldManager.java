package dev.roster.api.apply;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import dev.roster.api.Timestamps;
import dev.roster.api.apply.ManagedFields.Entry;
import dev.roster.api.apply.ManagedFields.Manager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps {@code metadata.managedFields} as upstream's field manager does. Every write records
 * what it changed under its manager (Update operations, merged per manager, apiVersion and
 * subresource); server-side apply merges a configuration into the live object, removes what
 * the applier stopped applying, and refuses to change fields other managers own unless forced.
 * Works on the stored JSON trees; the reset fields of a resource (status for main-resource
 * writes, spec for status writes) are never owned through the wrong endpoint.
 */
public final class FieldManager {
    /** kubectl's client-side apply annotation. */
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    /** The manager kubectl uses for {@code apply --server-side}; only it upgrades from client-side apply. */
    static final String KUBECTL = "kubectl";
    static final String BEFORE_FIRST_APPLY = "before-first-apply";
    static final String ANCIENT = "ancient-changes";
    static final int MAX_UPDATERS = 10;

    private final Clock clock;

    public FieldManager(Clock clock) {
        this.clock = clock;
    }

    /**
     * Records an Update by {@code manager} that turns {@code live} (null for a create) into
     * {@code updated}, whose managedFields are replaced by the result. As upstream, managedFields
     * in the request are honoured when non-empty (kubectl rewrites them when it migrates to
     * server-side apply), an empty list resets them, and subresource writes always start from
     * the live ones.
     */
    public void update(ResourceType type, String subresource, JsonNode live, ObjectNode updated, String manager) {
        ObjectNode meta = metadata(updated);
        JsonNode requested = meta.remove("managedFields");
        ManagedFields managed = startingPoint(live, requested, subresource != null);
        JsonNode liveView = live == null ? ApplySchemas.skeleton(type) : Views.of(live, type);
        recordUpdate(type, subresource, managed, liveView, Views.of(updated, type), manager);
        capUpdaters(managed);
        setManagedFields(meta, managed);
    }

    /**
     * Keeps at most {@link #MAX_UPDATERS} Update entries, as upstream: the oldest are folded,
     * per apiVersion, into an {@code ancient-changes} entry carrying the newest folded time.
     */
    static void capUpdaters(ManagedFields managed) {
        List<Manager> updaters = new ArrayList<>();
        managed.entries().forEach((m, e) -> {
            if (m.operation().equals("Update")) updaters.add(m);
        });
        if (updaters.size() <= MAX_UPDATERS) return;
        updaters.sort(java.util.Comparator.<Manager>comparingLong(m -> Timestamps.epochSeconds(managed.entries().get(m).time()))
                .thenComparing(Manager::toString));
        Map<String, Manager> firstOfVersion = new java.util.HashMap<>();
        int count = updaters.size();
        for (int i = 0; i < updaters.size() && count > MAX_UPDATERS; i++) {
            Manager m = updaters.get(i);
            Entry e = managed.entries().get(m);
            Manager bucket = Manager.update(ANCIENT, e.apiVersion(), "");
            Manager first = firstOfVersion.putIfAbsent(e.apiVersion(), m);
            if (first == null) continue;
            if (!managed.entries().containsKey(bucket)) managed.entries().put(bucket, managed.entries().remove(first));
            Entry b = managed.entries().get(bucket);
            managed.entries().put(bucket, new Entry(e.set().union(b.set()), e.apiVersion(), e.time()));
            if (!m.equals(bucket)) managed.entries().remove(m);
            count--;
        }
    }

    private ManagedFields startingPoint(JsonNode live, JsonNode requested, boolean subresource) {
        if (!subresource) {
            if (ManagedFields.isReset(requested)) return new ManagedFields();
            try {
                ManagedFields m = ManagedFields.decode(requested);
                if (!m.isEmpty()) return m;
            } catch (RuntimeException e) {
                // an unreadable list in the request: keep the live one, as upstream
            }
        }
        return liveManaged(live);
    }

    private static ManagedFields liveManaged(JsonNode live) {
        try {
            return live == null ? new ManagedFields() : ManagedFields.decode(live.path("metadata").get("managedFields"));
        } catch (RuntimeException e) {
            return new ManagedFields();
        }
    }

    /** The update bookkeeping on decoded sets: others lose what changed, the manager gains it. */
    private void recordUpdate(ResourceType type, String subresource, ManagedFields managed, JsonNode oldView,
            JsonNode newView, String manager) {
        FieldType schema = ApplySchemas.forType(type);
        Typed.Comparison cmp = Typed.compare(schema, oldView, newView, ResetFields.of(type, subresource));
        FieldSet changed = cmp.changed();
        if (!managed.isEmpty()) {
            FieldSet lost = cmp.removed().isEmpty() ? changed : changed.union(cmp.removed());
            for (Map.Entry<Manager, Entry> e : new ArrayList<>(managed.entries().entrySet())) {
                if (!e.getValue().set().intersects(lost)) continue;
                FieldSet left = e.getValue().set().difference(lost);
                if (left.isEmpty()) managed.entries().remove(e.getKey());
                else e.setValue(new Entry(left, e.getValue().apiVersion(), e.getValue().time()));
            }
        }
        FieldSet mine = ResetFields.stripMetaInPlace(changed);
        if (mine.isEmpty()) return;
        Manager self = Manager.update(manager, type.apiVersion(), subresource);
        Entry previous = managed.entries().get(self);
        FieldSet set = previous == null ? mine : previous.set().union(mine);
        managed.entries().put(self, new Entry(set, type.apiVersion(), now()));
    }

    /**
     * Server-side apply of {@code config} by {@code manager} to {@code live} (null when the
     * object does not exist yet). Returns the new object with its managedFields.
     *
     * @throws ApplyConflict when fields other managers own would change and {@code force} is off
     * @throws ApplyError when the configuration is not acceptable
     */
    public ObjectNode apply(ResourceType type, String subresource, ObjectNode live, ObjectNode config,
            String manager, boolean force) {
        String apiVersion = Json.text(config, "apiVersion");
        if (apiVersion == null || !apiVersion.equals(type.apiVersion())) {
            throw new ApplyError("Incorrect version specified in apply patch. Specified patch version: "
                    + (apiVersion == null ? "" : apiVersion) + ", expected: " + type.apiVersion());
        }
        if (config.path("metadata").has("managedFields")) throw new ApplyError("metadata.managedFields must be nil");
        String missing = Typed.missingKeys(ApplySchemas.forType(type), config, "");
        if (missing != null) {
            String ns = Json.text(config, "metadata", "namespace");
            throw new ApplyError.Internal("failed to create typed patch object (" + (ns == null ? "" : ns) + "/"
                    + Json.text(config, "metadata", "name") + "; " + type.group() + "/" + type.version() + ", Kind="
                    + type.kind() + "): " + missing);
        }
        ManagedFields managed = liveManaged(live);
        ObjectNode liveView = live == null ? ApplySchemas.skeleton(type).deepCopy() : Views.of(live, type);
        if (live != null && managed.isEmpty()) {
            // an object nobody is recorded for: its current fields belong to a placeholder
            // manager, so the first applier conflicts with them rather than silently owning them
            recordUpdate(type, subresource, managed, ApplySchemas.skeleton(type), liveView, BEFORE_FIRST_APPLY);
        }
        ApplyResult r;
        try {
            r = applyOnce(type, subresource, liveView, config, managed.copy(), manager, force);
        } catch (ApplyConflict c) {
            if (!manager.equals(KUBECTL)) throw c;
            r = upgradeFromClientSideApply(type, subresource, liveView, config, managed, c);
        }
        ObjectNode out = (ObjectNode) r.object();
        if (manager.equals(KUBECTL) && hasLastApplied(out)) {
            metadata(out).withObject("annotations").put(LAST_APPLIED, LastApplied.of(config));
        }
        Views.stripSkeletonNulls(out, ApplySchemas.skeleton(type));
        setManagedFields(metadata(out), r.managed());
        return out;
    }

    private record ApplyResult(JsonNode object, ManagedFields managed) {}

    /** One run of upstream's Updater.Apply: merge, prune, then the conflict check against everyone else. */
    private ApplyResult applyOnce(ResourceType type, String subresource, ObjectNode liveView, ObjectNode config,
            ManagedFields managed, String manager, boolean force) {
        FieldType schema = ApplySchemas.forType(type);
        FieldSet reset = ResetFields.of(type, subresource);
        Manager self = Manager.apply(manager, subresource);
        JsonNode merged = ApplyMerge.merge(schema, liveView, config);
        Entry last = managed.entries().get(self);
        FieldSet applied = ResetFields.stripMeta(Typed.toFieldSet(schema, config));
        if (reset != null) applied = applied.withoutSubtrees(reset);
        managed.entries().put(self, new Entry(applied, type.apiVersion(), last == null ? null : last.time()));
        JsonNode result = Prune.prune(schema, merged, managed, last == null ? null : last.set());
        Typed.Comparison cmp = Typed.compare(schema, liveView, result, reset);
        FieldSet changed = cmp.changed();
        List<ApplyConflict.Conflict> conflicts = new ArrayList<>();
        Map<Manager, FieldSet> lost = new TreeMap<>(java.util.Comparator.comparing(Manager::toString));
        managed.entries().forEach((m, e) -> {
            if (m.equals(self)) return;
            FieldSet c = e.set().intersection(changed);
            if (c.isEmpty()) return;
            lost.put(m, c);
            for (List<PathElement> p : c.paths()) conflicts.add(new ApplyConflict.Conflict(m.describe(), FieldSet.pathString(p)));
        });
        if (!force && !conflicts.isEmpty()) throw new ApplyConflict(conflicts);
        for (Map.Entry<Manager, Entry> e : new ArrayList<>(managed.entries().entrySet())) {
            if (e.getKey().equals(self)) continue;
            FieldSet left = e.getValue().set().difference(lost.get(e.getKey())).difference(cmp.removed());
            if (left.isEmpty()) managed.entries().remove(e.getKey());
            else e.setValue(new Entry(left, e.getValue().apiVersion(), e.getValue().time()));
        }
        if (managed.entries().get(self).set().isEmpty()) managed.entries().remove(self);
        if (!result.equals(liveView) && managed.entries().containsKey(self)) {
            managed.entries().put(self, new Entry(managed.entries().get(self).set(), type.apiVersion(), now()));
        }
        return new ApplyResult(result, managed);
    }

    /**
     * kubectl's migration from client-side apply: conflicts on fields the last-applied annotation
     * still describes as they are live do not count, so {@code kubectl apply --server-side} takes
     * over what {@code kubectl apply} managed.
     */
    private ApplyResult upgradeFromClientSideApply(ResourceType type, String subresource, ObjectNode liveView,
            ObjectNode config, ManagedFields managed, ApplyConflict conflict) {
        FieldSet allowed = LastApplied.ownedFields(type, liveView);
        if (allowed == null) throw conflict;
        java.util.Set<String> allowedPaths = new java.util.HashSet<>();
        for (List<PathElement> p : allowed.paths()) allowedPaths.add(FieldSet.pathString(p));
        List<ApplyConflict.Conflict> remaining = new ArrayList<>();
        for (ApplyConflict.Conflict c : conflict.conflicts()) {
            if (!allowedPaths.contains(c.path())) remaining.add(c);
        }
        if (!remaining.isEmpty()) throw new ApplyConflict(remaining);
        return applyOnce(type, subresource, liveView, config, managed.copy(), KUBECTL, true);
    }

    private static boolean hasLastApplied(JsonNode obj) {
        JsonNode v = obj.path("metadata").path("annotations").get(LAST_APPLIED);
        return v != null && v.isString() && !v.asString().isEmpty();
    }

    private static void setManagedFields(ObjectNode meta, ManagedFields managed) {
        if (managed.isEmpty()) meta.remove("managedFields");
        else meta.set("managedFields", managed.encode());
    }

    private static ObjectNode metadata(ObjectNode obj) {
        return obj.get("metadata") instanceof ObjectNode m ? m : obj.putObject("metadata");
    }

    private String now() {
        return Timestamps.format(clock.instant());
    }
}
