package dev.roster.controllers.apps;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The writes the Deployment controller makes to its ReplicaSets. */
final class ReplicaSets {
    private ReplicaSets() {}

    /** Creates {@code <deployment>-<hash>}; if it already exists (a lost race), returns the stored one. */
    static ReplicaSet createFor(KubernetesClient client, Deployment d, String hash, Map<String, String> annotations, int replicas) {
        var ser = client.getKubernetesSerialization();
        PodTemplateSpec template = ser.clone(d.getSpec().getTemplate());
        Map<String, String> podLabels = new HashMap<>(template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels());
        podLabels.put(PodTemplateHash.LABEL, hash);
        template.getMetadata().setLabels(podLabels);
        LabelSelector selector = new LabelSelectorBuilder(ser.clone(d.getSpec().getSelector()))
                .addToMatchLabels(PodTemplateHash.LABEL, hash).build();
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(d.getMetadata().getName() + "-" + hash)
                .withNamespace(d.getMetadata().getNamespace())
                .withLabels(podLabels)
                .withAnnotations(annotations)
                .withOwnerReferences(Owners.reference(d))
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withMinReadySeconds(d.getSpec().getMinReadySeconds())
                .withSelector(selector)
                .withTemplate(template)
                .endSpec()
                .build();
        try {
            return client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(rs).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
            return client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).withName(rs.getMetadata().getName()).get();
        }
    }

    /** Writes {@code annotations} on the ReplicaSet when they differ from what it has; returns the stored object. */
    static ReplicaSet annotate(KubernetesClient client, ReplicaSet rs, Map<String, String> annotations) {
        if (Objects.equals(annotations, rs.getMetadata().getAnnotations())) return rs;
        return client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName())
                .edit(r -> {
                    r.getMetadata().setAnnotations(annotations);
                    return r;
                });
    }

    /**
     * Resizes a ReplicaSet, stamping the Deployment's desired / max sizes on it as upstream does on every scale.
     *
     * @return the size the ReplicaSet had on the server just before (not in the possibly stale cache), so a
     *     sync that raced an earlier one does not report a resize that already happened
     */
    static int scale(KubernetesClient client, ReplicaSet rs, int replicas, int desired, int max) {
        Map<String, String> a = rs.getMetadata().getAnnotations() == null ? Map.of() : rs.getMetadata().getAnnotations();
        boolean annotationsStale = !Integer.toString(desired).equals(a.get(Revisions.DESIRED))
                || !Integer.toString(max).equals(a.get(Revisions.MAX));
        if (DeploymentController.replicas(rs) == replicas && !annotationsStale) return replicas;
        int[] before = {replicas};
        client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName())
                .edit(r -> {
                    before[0] = DeploymentController.replicas(r);
                    r.getSpec().setReplicas(replicas);
                    Map<String, String> ann = new HashMap<>(r.getMetadata().getAnnotations() == null ? Map.of() : r.getMetadata().getAnnotations());
                    ann.put(Revisions.DESIRED, Integer.toString(desired));
                    ann.put(Revisions.MAX, Integer.toString(max));
                    r.getMetadata().setAnnotations(ann);
                    return r;
                });
        return before[0];
    }

    /**
     * Deletes old ReplicaSets beyond {@code spec.revisionHistoryLimit}, lowest revision first, as upstream's cleanup
     * does: only those scaled to zero, with no pods left and whose status has caught up with their spec.
     */
    static void cleanupHistory(KubernetesClient client, Deployment d, List<ReplicaSet> old) {
        Integer limit = d.getSpec().getRevisionHistoryLimit();
        if (limit == null) return;
        List<ReplicaSet> alive = old.stream().filter(rs -> rs.getMetadata().getDeletionTimestamp() == null).toList();
        int excess = alive.size() - limit;
        if (excess <= 0) return;
        List<ReplicaSet> ordered = Revisions.byRevision(alive);
        for (int i = 0; i < excess; i++) {
            ReplicaSet rs = ordered.get(i);
            var st = rs.getStatus();
            long observed = st == null || st.getObservedGeneration() == null ? 0 : st.getObservedGeneration();
            long generation = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
            if (DeploymentController.replicas(rs) != 0 || (st != null && DeploymentController.nz(st.getReplicas()) != 0)
                    || generation > observed) continue;
            try {
                client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName()).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) throw e;
            }
        }
    }
}
