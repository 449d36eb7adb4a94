package dev.roster.controllers.apps;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Rollout history as upstream keeps it in annotations: each ReplicaSet's {@code deployment.kubernetes.io/revision},
 * the older numbers of a ReplicaSet brought back by a rollback in {@code …/revision-history}, and the Deployment's
 * own annotations (e.g. {@code kubernetes.io/change-cause}) copied onto its current ReplicaSet so that
 * {@code kubectl rollout history} can show them.
 */
final class Revisions {
    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String HISTORY = "deployment.kubernetes.io/revision-history";
    static final String DESIRED = "deployment.kubernetes.io/desired-replicas";
    static final String MAX = "deployment.kubernetes.io/max-replicas";
    /** Owned by the controller or by kubectl, never copied from the Deployment to a ReplicaSet. */
    static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration", REVISION, HISTORY,
            DESIRED, MAX, "deprecated.deployment.rollback.to");
    /** upstream's cap on the length of the revision-history annotation; the oldest numbers go first */
    static final int HISTORY_CHARS = 2000;

    private Revisions() {}

    /** The revision of a ReplicaSet, 0 when absent or not a number (upstream ignores such values too). */
    static long of(ReplicaSet rs) {
        String r = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(REVISION);
        if (r == null) return 0;
        try {
            return Long.parseLong(r);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static long max(List<ReplicaSet> sets) {
        return sets.stream().mapToLong(Revisions::of).max().orElse(0);
    }

    /** Oldest revision first, creation time breaking ties (the order history cleanup deletes in). */
    static List<ReplicaSet> byRevision(List<ReplicaSet> sets) {
        List<ReplicaSet> out = new ArrayList<>(sets);
        out.sort(Comparator.comparingLong(Revisions::of).thenComparing(rs -> rs.getMetadata().getCreationTimestamp(),
                Comparator.nullsFirst(Comparator.naturalOrder())));
        return out;
    }

    /**
     * The annotations the Deployment's current ReplicaSet should carry: the Deployment's copyable annotations (added
     * or changed, never removed, as upstream), the revision raised to {@code revision} (the old number moving into the
     * history), and for a ReplicaSet about to be created the desired/max replica counts. Returns {@code current}
     * itself when nothing changes.
     */
    static Map<String, String> forCurrent(Deployment d, Map<String, String> current, long revision, boolean creating,
            int desired, int maxSurge) {
        Map<String, String> out = new HashMap<>(current == null ? Map.of() : current);
        if (d.getMetadata().getAnnotations() != null) {
            d.getMetadata().getAnnotations().forEach((k, v) -> {
                if (!NOT_COPIED.contains(k)) out.put(k, v);
            });
        }
        String old = out.get(REVISION);
        long oldNumber;
        try {
            oldNumber = old == null ? 0 : Long.parseLong(old);
        } catch (NumberFormatException e) {
            return current; // a hand-written revision: upstream leaves such a ReplicaSet's annotations alone
        }
        if (oldNumber < revision) {
            out.put(REVISION, Long.toString(revision));
            if (old != null) out.put(HISTORY, appendHistory(out.get(HISTORY), old));
        }
        if (creating) {
            out.put(DESIRED, Integer.toString(desired));
            out.put(MAX, Integer.toString(desired + maxSurge));
        }
        return out.equals(current == null ? Map.of() : current) ? current : out;
    }

    /** Appends {@code old} to a comma-separated history, dropping the oldest entries to stay within the cap. */
    static String appendHistory(String history, String old) {
        if (history == null || history.isEmpty()) return old;
        List<String> entries = new ArrayList<>(Arrays.asList(history.split(",")));
        int total = history.length() + old.length() + 1;
        while (total > HISTORY_CHARS && !entries.isEmpty()) total -= entries.remove(0).length() + 1;
        if (total > HISTORY_CHARS) return history; // upstream gives up on appending
        entries.add(old);
        return String.join(",", entries);
    }

    /**
     * Upstream finds a Deployment's current ReplicaSet by comparing pod templates without the hash label, not by
     * the hash: after {@code kubectl rollout undo} the template comes back through kubectl (labels re-ordered), and
     * the old ReplicaSet must still be recognised. The oldest match wins.
     */
    static java.util.function.Predicate<PodTemplateSpec> sameTemplateAs(PodTemplateSpec wanted, KubernetesSerialization json) {
        Object target = comparable(wanted, json); // once, not once per ReplicaSet compared
        return t -> Objects.equals(comparable(t, json), target);
    }

    private static Object comparable(PodTemplateSpec t, KubernetesSerialization json) {
        if (t == null) return null;
        PodTemplateSpec copy = json.clone(t);
        if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
            copy.getMetadata().getLabels().remove(PodTemplateHash.LABEL);
            if (copy.getMetadata().getLabels().isEmpty()) copy.getMetadata().setLabels(null);
        }
        return json.unmarshal(json.asJson(copy), Map.class); // maps compare regardless of key order
    }
}
