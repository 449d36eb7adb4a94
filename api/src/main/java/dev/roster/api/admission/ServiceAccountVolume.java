package dev.roster.api.admission;

import java.util.List;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What upstream's ServiceAccount admission plugin adds to a new Pod whose ServiceAccount token is automounted: a
 * projected volume {@code kube-api-access-<5 random>} (a token for the API server that kubelets renew, the cluster CA
 * from ConfigMap kube-root-ca.crt, the namespace) mounted read-only at {@value #MOUNT_PATH} in every container and
 * init container that has nothing there already. Shapes and field order are upstream's.
 */
public final class ServiceAccountVolume {
    public static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    public static final String VOLUME_PREFIX = "kube-api-access-";
    /** What kubelets ask for; the API server extends such pod-bound tokens (see TokenRequests). */
    public static final long TOKEN_SECONDS = 3607;
    public static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
    /** Upstream's rand.String alphabet: no vowels, no look-alike digits. */
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private ServiceAccountVolume() {}

    /**
     * Whether the token is mounted: the pod's {@code automountServiceAccountToken} wins, then the ServiceAccount's,
     * else yes.
     */
    public static boolean automount(JsonNode podSpec, JsonNode serviceAccount) {
        JsonNode pod = podSpec.path("automountServiceAccountToken");
        if (pod.isBoolean()) return pod.asBoolean();
        JsonNode sa = serviceAccount == null ? null : serviceAccount.path("automountServiceAccountToken");
        return sa == null || !sa.isBoolean() || sa.asBoolean();
    }

    /** Adds the volume and mounts to {@code spec} (a Pod's spec), reusing a token volume the pod already has. */
    public static void mount(ObjectNode spec, RandomGenerator random) {
        ArrayNode volumes = spec.get("volumes") instanceof ArrayNode a ? a : null;
        String name = null;
        if (volumes != null) {
            for (JsonNode v : volumes) {
                if (v.path("name").asString("").startsWith(VOLUME_PREFIX)) {
                    name = v.path("name").asString();
                    break;
                }
            }
        }
        boolean hasVolume = name != null;
        if (name == null) name = VOLUME_PREFIX + suffix(random);
        boolean needed = false;
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : spec.path(list)) {
                if (c instanceof ObjectNode container && !mountsThePath(container)) {
                    ArrayNode mounts = container.get("volumeMounts") instanceof ArrayNode m ? m : container.putArray("volumeMounts");
                    mounts.addObject().put("name", name).put("readOnly", true).put("mountPath", MOUNT_PATH);
                    needed = true;
                }
            }
        }
        if (needed && !hasVolume) {
            (volumes != null ? volumes : spec.putArray("volumes")).add(volume(name));
        }
    }

    private static boolean mountsThePath(JsonNode container) {
        for (JsonNode m : container.path("volumeMounts")) if (MOUNT_PATH.equals(m.path("mountPath").asString(""))) return true;
        return false;
    }

    static ObjectNode volume(String name) {
        ObjectNode v = dev.roster.api.Json.object();
        v.put("name", name);
        ObjectNode projected = v.putObject("projected");
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", TOKEN_SECONDS).put("path", "token");
        ObjectNode cm = sources.addObject().putObject("configMap");
        cm.put("name", ROOT_CA_CONFIG_MAP);
        cm.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
        ObjectNode ns = sources.addObject().putObject("downwardAPI").putArray("items").addObject();
        ns.put("path", "namespace");
        ns.putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
        projected.put("defaultMode", 420);
        return v;
    }

    private static String suffix(RandomGenerator random) {
        StringBuilder b = new StringBuilder(5);
        for (int i = 0; i < 5; i++) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return b.toString();
    }
}
