package dev.roster.apiserver.authz.rbac;

import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.cache.CachedObject;
import dev.roster.apiserver.rest.RequestTarget;
import dev.roster.apiserver.rest.ResourceStore;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes the stored policy hold the defaults on every API server start, as upstream's storage post-start hook does:
 * a missing role or binding is created; one that exists keeps what it has and gains the default rules, subjects,
 * labels and annotations it lacks, unless its {@code rbac.authorization.kubernetes.io/autoupdate} annotation is
 * "false". Nothing is written when nothing is missing, so a second start costs only reads.
 */
public final class PolicyReconciler {
    private PolicyReconciler() {}

    public static void reconcile(ResourceStore store, ResourceRegistry registry, BootstrapPolicy policy) {
        ResourceType roles = registry.find(RbacIndex.GROUP, "v1", "clusterroles").orElseThrow();
        ResourceType bindings = registry.find(RbacIndex.GROUP, "v1", "clusterrolebindings").orElseThrow();
        for (Map.Entry<String, ObjectNode> e : policy.clusterRoles().entrySet()) {
            ensure(store, roles, e.getKey(), e.getValue(), (cur, want) -> {
                boolean changed = addMissing((ArrayNode) cur.withArray("rules"), want.path("rules"));
                if (want.has("aggregationRule") && !cur.has("aggregationRule")) {
                    cur.set("aggregationRule", want.get("aggregationRule").deepCopy());
                    changed = true;
                }
                return changed;
            });
        }
        for (Map.Entry<String, ObjectNode> e : policy.clusterRoleBindings().entrySet()) {
            ensure(store, bindings, e.getKey(), e.getValue(),
                    (cur, want) -> addMissing((ArrayNode) cur.withArray("subjects"), want.path("subjects")));
        }
    }

    private interface Merge {
        boolean apply(ObjectNode current, ObjectNode wanted);
    }

    private static void ensure(ResourceStore store, ResourceType type, String name, ObjectNode wanted, Merge merge) {
        Optional<CachedObject> existing = store.find(type, null, name);
        if (existing.isEmpty()) {
            try {
                store.create(new RequestTarget(type, null, null, null), wanted.deepCopy(), false);
            } catch (ApiException e) {
                if (e.code() != 409) throw e;
            }
            return;
        }
        ObjectNode probe = existing.get().copy();
        if (!updatable(probe) || !mergeInto(probe, wanted, merge)) return;
        store.update(new RequestTarget(type, null, name, null), cur -> {
            if (updatable(cur)) mergeInto(cur, wanted, merge);
            return cur;
        }, false);
    }

    private static boolean updatable(JsonNode o) {
        return !o.path("metadata").path("annotations").path(BootstrapPolicy.AUTOUPDATE).asString("").equals("false");
    }

    private static boolean mergeInto(ObjectNode cur, ObjectNode wanted, Merge merge) {
        boolean changed = merge.apply(cur, wanted);
        ObjectNode meta = cur.withObject("metadata");
        for (String field : new String[] {"labels", "annotations"}) {
            ObjectNode have = meta.withObject(field);
            for (Map.Entry<String, JsonNode> kv : wanted.path("metadata").path(field).properties()) {
                if (!have.has(kv.getKey())) {
                    have.set(kv.getKey(), kv.getValue());
                    changed = true;
                }
            }
        }
        return changed;
    }

    private static boolean addMissing(ArrayNode have, JsonNode wanted) {
        boolean changed = false;
        for (JsonNode w : wanted) {
            boolean found = false;
            for (JsonNode h : have) found |= h.equals(w);
            if (!found) {
                have.add(w.deepCopy());
                changed = true;
            }
        }
        return changed;
    }
}
