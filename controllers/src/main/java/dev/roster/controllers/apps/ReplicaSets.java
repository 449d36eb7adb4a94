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
import java.util.Map;

/** The writes the Deployment controller makes to its ReplicaSets. */
final class ReplicaSets {
    private ReplicaSets() {}

    /** Creates {@code <deployment>-<hash>}; if it already exists (a lost race), returns the stored one. */
    static ReplicaSet createFor(KubernetesClient client, Deployment d, String hash, long revision, int replicas) {
        var ser = client.getKubernetesSerialization();
        PodTemplateSpec template = ser.clone(d.getSpec().getTemplate());
        Map<String, String> podLabels = new HashMap<>(template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels());
        podLabels.put(PodTemplateHash.LABEL, hash);
        template.getMetadata().setLabels(podLabels);
        LabelSelector selector = new LabelSelectorBuilder(ser.clone(d.getSpec().getSelector()))
                .addToMatchLabels(PodTemplateHash.LABEL, hash).build();
        Map<String, String> annotations = new HashMap<>();
        annotations.put(DeploymentController.REVISION, Long.toString(revision));
        annotations.put(DeploymentController.DESIRED, Integer.toString(DeploymentController.replicas(d)));
        annotations.put(DeploymentController.MAX, Integer.toString(DeploymentController.replicas(d) + 1));
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

    /** A ReplicaSet brought back by a rollback gets the next revision number, as upstream. */
    static void ensureRevision(KubernetesClient client, ReplicaSet rs, Deployment d, long nextRevision) {
        Map<String, String> a = rs.getMetadata().getAnnotations();
        String want = Integer.toString(DeploymentController.replicas(d));
        boolean stale = a == null || a.get(DeploymentController.REVISION) == null
                || Long.parseLong(a.get(DeploymentController.REVISION)) < nextRevision - 1
                || !want.equals(a.get(DeploymentController.DESIRED));
        if (!stale) return;
        long revision = a == null || a.get(DeploymentController.REVISION) == null ? nextRevision
                : Math.max(Long.parseLong(a.get(DeploymentController.REVISION)), nextRevision);
        client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName())
                .edit(r -> {
                    Map<String, String> ann = r.getMetadata().getAnnotations() == null ? new HashMap<>() : new HashMap<>(r.getMetadata().getAnnotations());
                    ann.put(DeploymentController.REVISION, Long.toString(revision));
                    ann.put(DeploymentController.DESIRED, want);
                    r.getMetadata().setAnnotations(ann);
                    return r;
                });
    }

    static void scale(KubernetesClient client, ReplicaSet rs, int replicas) {
        if (DeploymentController.replicas(rs) == replicas) return;
        client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName())
                .edit(r -> {
                    r.getSpec().setReplicas(replicas);
                    return r;
                });
    }
}
