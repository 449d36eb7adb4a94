package dev.roster.apiserver.authz.node;

import java.util.LinkedHashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The objects a pod or a PersistentVolume names, as the kubelet would fetch them: what the Node authorizer lets a node
 * read once such a pod is bound to it.
 */
final class References {
    /** Volume sources whose credentials sit in a Secret named under this field (cephfs, rbd, iscsi, csi, flexVolume, …). */
    private static final String[] SECRET_REF_FIELDS = {"secretRef", "nodePublishSecretRef", "nodeStageSecretRef",
            "nodeExpandSecretRef", "controllerPublishSecretRef", "controllerExpandSecretRef"};

    private References() {}

    /**
     * What a pod references: its ServiceAccount, image pull Secrets, the Secrets and ConfigMaps of every container's
     * env and envFrom, and those of its volumes (projected sources too), and its PersistentVolumeClaims (an ephemeral
     * volume's claim is named {@code <pod>-<volume>}).
     */
    static Set<ObjectRef> ofPod(JsonNode pod) {
        String ns = pod.path("metadata").path("namespace").asString("");
        String podName = pod.path("metadata").path("name").asString("");
        JsonNode spec = pod.path("spec");
        Set<ObjectRef> refs = new LinkedHashSet<>();
        String sa = spec.path("serviceAccountName").asString("");
        if (!sa.isEmpty()) refs.add(ObjectRef.serviceAccount(ns, sa));
        for (JsonNode s : spec.path("imagePullSecrets")) addSecret(refs, ns, s.path("name"));
        for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            for (JsonNode c : spec.path(list)) containerRefs(refs, ns, c);
        }
        for (JsonNode v : spec.path("volumes")) {
            addSecret(refs, ns, v.path("secret").path("secretName"));
            addConfigMap(refs, ns, v.path("configMap").path("name"));
            String claim = v.path("persistentVolumeClaim").path("claimName").asString("");
            if (!claim.isEmpty()) refs.add(ObjectRef.claim(ns, claim));
            if (v.has("ephemeral")) refs.add(ObjectRef.claim(ns, podName + "-" + v.path("name").asString("")));
            for (JsonNode src : v.path("projected").path("sources")) {
                addSecret(refs, ns, src.path("secret").path("name"));
                addConfigMap(refs, ns, src.path("configMap").path("name"));
            }
            addSecret(refs, ns, v.path("azureFile").path("secretName"));
            pluginSecrets(refs, ns, v);
        }
        return refs;
    }

    /** The Secrets a PersistentVolume's source names (its own namespace field, as a PV is cluster-scoped). */
    static Set<ObjectRef> secretsOfVolume(JsonNode pv) {
        Set<ObjectRef> refs = new LinkedHashSet<>();
        JsonNode spec = pv.path("spec");
        for (var source : spec.properties()) {
            JsonNode src = source.getValue();
            if (!src.isObject()) continue;
            for (String field : SECRET_REF_FIELDS) {
                JsonNode ref = src.path(field);
                String name = ref.path("name").asString("");
                if (!name.isEmpty()) refs.add(ObjectRef.secret(ref.path("namespace").asString(""), name));
            }
            String azure = src.path("secretName").asString("");
            if (source.getKey().equals("azureFile") && !azure.isEmpty()) {
                refs.add(ObjectRef.secret(src.path("secretNamespace").asString("default"), azure));
            }
        }
        return refs;
    }

    private static void containerRefs(Set<ObjectRef> refs, String ns, JsonNode c) {
        for (JsonNode e : c.path("env")) {
            addSecret(refs, ns, e.path("valueFrom").path("secretKeyRef").path("name"));
            addConfigMap(refs, ns, e.path("valueFrom").path("configMapKeyRef").path("name"));
        }
        for (JsonNode e : c.path("envFrom")) {
            addSecret(refs, ns, e.path("secretRef").path("name"));
            addConfigMap(refs, ns, e.path("configMapRef").path("name"));
        }
    }

    /** The credentials Secret of any other volume plugin: a field such as {@code cephfs.secretRef.name}. */
    private static void pluginSecrets(Set<ObjectRef> refs, String ns, JsonNode volume) {
        for (var source : volume.properties()) {
            if (!source.getValue().isObject()) continue;
            for (String field : SECRET_REF_FIELDS) addSecret(refs, ns, source.getValue().path(field).path("name"));
        }
    }

    private static void addSecret(Set<ObjectRef> refs, String ns, JsonNode name) {
        String n = name.asString("");
        if (!n.isEmpty()) refs.add(ObjectRef.secret(ns, n));
    }

    private static void addConfigMap(Set<ObjectRef> refs, String ns, JsonNode name) {
        String n = name.asString("");
        if (!n.isEmpty()) refs.add(ObjectRef.configMap(ns, n));
    }
}
