package dev.roster.controllers.apps;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;

/**
 * The {@code pod-template-hash} a Deployment gives its ReplicaSets: a 32-bit FNV-1a hash of the
 * pod template (and the collision count), written with upstream's "safe" alphabet, so names look
 * like {@code nginx-7c5ddbdf54}. Upstream hashes Go's printed form of the struct; roster hashes the
 * template's JSON, so values differ from a real cluster's but are just as stable.
 */
public final class PodTemplateHash {
    public static final String LABEL = "pod-template-hash";
    /** upstream's alphabet for generated names: no vowels, no easily confused characters */
    private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";

    private PodTemplateHash() {}

    public static String of(PodTemplateSpec template, Integer collisionCount, KubernetesSerialization json) {
        PodTemplateSpec copy = json.clone(template);
        if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
            copy.getMetadata().getLabels().remove(LABEL);
        }
        int h = 0x811c9dc5;
        for (byte b : json.asJson(copy).getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x01000193;
        }
        if (collisionCount != null) {
            for (byte b : Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8)) {
                h ^= (b & 0xff);
                h *= 0x01000193;
            }
        }
        String digits = Long.toString(Integer.toUnsignedLong(h));
        StringBuilder out = new StringBuilder(digits.length());
        for (char c : digits.toCharArray()) out.append(SAFE.charAt(c % SAFE.length()));
        return out.toString();
    }
}
