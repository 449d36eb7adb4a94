package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Small helpers over {@code metadata}, the part of every object the API server owns. */
final class Metadata {
    /** upstream's generateName alphabet: no vowels and no easily confused characters. */
    private static final String SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789";
    /**
     * Names and uids. The platform's default SecureRandom (on Linux NativePRNG: /dev/urandom bytes
     * mixed with a SHA1PRNG's under one lock) took 2 % of a create's time in a profile; a DRBG
     * seeded once from the same source gives equally unpredictable bits for less.
     */
    private static final SecureRandom RANDOM = drbg();

    private Metadata() {}

    static ObjectNode of(ObjectNode object) {
        JsonNode m = object.get("metadata");
        if (m instanceof ObjectNode o) return o;
        return object.putObject("metadata");
    }

    static String name(JsonNode object) {
        return Json.text(object, "metadata", "name");
    }

    static String namespace(JsonNode object) {
        return Json.text(object, "metadata", "namespace");
    }

    static String resourceVersion(JsonNode object) {
        return Json.text(object, "metadata", "resourceVersion");
    }

    static String uid(JsonNode object) {
        return Json.text(object, "metadata", "uid");
    }

    static String generatedName(String prefix) {
        StringBuilder b = new StringBuilder(prefix);
        for (int i = 0; i < 5; i++) b.append(SUFFIX_CHARS.charAt(RANDOM.nextInt(SUFFIX_CHARS.length())));
        return b.toString();
    }

    /** A random (version 4) UUID, as upstream's uid, from {@link #RANDOM} rather than {@link UUID#randomUUID()}'s source. */
    static String newUid() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bytes = ByteBuffer.wrap(b);
        return new UUID(bytes.getLong(), bytes.getLong()).toString();
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** RFC 3339 with second precision, as metav1.Time serialises. */
    static String timestamp(Instant t) {
        return dev.roster.api.Timestamps.format(t);
    }

    /** The object with apiVersion and kind as its first fields, in the order upstream prints them. */
    static ObjectNode typeFirst(ObjectNode object, String apiVersion, String kind) {
        ObjectNode out = Json.object();
        out.put("apiVersion", apiVersion);
        out.put("kind", kind);
        for (var e : object.properties()) {
            if (!e.getKey().equals("apiVersion") && !e.getKey().equals("kind")) out.set(e.getKey(), e.getValue());
        }
        return out;
    }

    static boolean hasFinalizers(JsonNode object) {
        JsonNode f = object.path("metadata").path("finalizers");
        return f.isArray() && !f.isEmpty();
    }

    static boolean isDeleting(JsonNode object) {
        return object.path("metadata").hasNonNull("deletionTimestamp");
    }
}
