package dev.roster.apiserver.authz.node;

import dev.roster.apiserver.rest.AdmissionCheck;
import tools.jackson.databind.JsonNode;

/**
 * The pods a node may create: mirror pods of its static pods, bound to itself, owned by its Node (one controller
 * owner reference with the Node's UID, not blocking deletion) and referencing no ServiceAccount, Secret, ConfigMap,
 * ClusterTrustBundle or PersistentVolumeClaim, since through such a pod a node could reach objects not meant for it.
 */
final class MirrorPods {
    private MirrorPods() {}

    static void check(String node, AdmissionCheck.Attributes a, JsonNode nodeObject) {
        JsonNode pod = a.object();
        String who = "node \"" + node + "\"";
        if (!pod.path("metadata").path("annotations").has(NodeRestriction.MIRROR_ANNOTATION)) {
            throw NodeRestriction.forbidden(a, "pod does not have \"" + NodeRestriction.MIRROR_ANNOTATION
                    + "\" annotation, " + who + " can only create mirror pods");
        }
        if (!NodeRestriction.nodeName(pod).equals(node)) throw NodeRestriction.forbidden(a, who + " can only create pods with spec.nodeName set to itself");
        owner(node, a, pod.path("metadata").path("ownerReferences"), nodeObject);
        java.util.Set<ObjectRef.Kind> kinds = java.util.EnumSet.noneOf(ObjectRef.Kind.class);
        for (ObjectRef r : References.ofPod(pod)) kinds.add(r.kind());
        if (kinds.contains(ObjectRef.Kind.SERVICE_ACCOUNT)) refuse(a, who, "a service account");
        if (kinds.contains(ObjectRef.Kind.SECRET)) refuse(a, who, "secrets");
        if (kinds.contains(ObjectRef.Kind.CONFIG_MAP)) refuse(a, who, "configmaps");
        for (JsonNode v : pod.path("spec").path("volumes")) {
            for (JsonNode src : v.path("projected").path("sources")) {
                if (src.has("clusterTrustBundle")) refuse(a, who, "clustertrustbundles");
            }
        }
        for (JsonNode v : pod.path("spec").path("volumes")) {
            if (v.has("persistentVolumeClaim")) refuse(a, who, "persistentvolumeclaims");
        }
    }

    private static void refuse(AdmissionCheck.Attributes a, String who, String what) {
        throw NodeRestriction.forbidden(a, who + " can not create pods that reference " + what);
    }

    private static void owner(String node, AdmissionCheck.Attributes a, JsonNode owners, JsonNode nodeObject) {
        String who = "node \"" + node + "\"";
        if (owners.size() > 1) throw NodeRestriction.forbidden(a, who + " can only create pods with a single owner reference set to itself");
        if (owners.size() == 0) throw NodeRestriction.forbidden(a, who + " can only create pods with an owner reference set to itself");
        JsonNode o = owners.get(0);
        if (!o.path("apiVersion").asString("").equals("v1") || !o.path("kind").asString("").equals("Node")
                || !o.path("name").asString("").equals(node)) {
            throw NodeRestriction.forbidden(a, who + " can only create pods with an owner reference set to itself");
        }
        if (!o.path("controller").asBoolean(false)) {
            throw NodeRestriction.forbidden(a, who + " can only create pods with a controller owner reference set to itself");
        }
        if (o.path("blockOwnerDeletion").asBoolean(false)) {
            throw NodeRestriction.forbidden(a, who + " must not set blockOwnerDeletion on an owner reference");
        }
        if (nodeObject == null) throw new dev.roster.apiserver.ApiException(404, "NotFound", "nodes \"" + node + "\" not found", null);
        String uid = nodeObject.path("metadata").path("uid").asString("");
        if (!o.path("uid").asString("").equals(uid)) {
            throw NodeRestriction.forbidden(a, "node " + node + " UID mismatch: expected " + o.path("uid").asString("") + " got " + uid);
        }
    }
}
