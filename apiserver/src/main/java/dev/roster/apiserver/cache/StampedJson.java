package dev.roster.apiserver.cache;

import java.nio.charset.StandardCharsets;

/**
 * An object's stored JSON with {@code metadata.resourceVersion} added, without parsing it. Objects
 * are stored without their resourceVersion (it is the key's mod revision); the reply to a write,
 * or a GET, is those bytes with the version as the last field of metadata, which is what parsing,
 * stamping and serialising again would produce, byte for byte, for the compact JSON the server
 * stores. A create then serialises its object once instead of twice.
 */
final class StampedJson {
    private static final byte[] METADATA = "metadata".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESOURCE_VERSION = "resourceVersion".getBytes(StandardCharsets.US_ASCII);

    private StampedJson() {}

    /**
     * {@code json} with {@code "resourceVersion":"<revision>"} appended to its top-level metadata
     * object; null when the bytes are not shaped as expected (no metadata object, or one that
     * already has a resourceVersion), and the caller parses instead.
     */
    static byte[] stamp(byte[] json, long revision) {
        try {
            return stampOrNull(json, Long.toString(revision));
        } catch (ArrayIndexOutOfBoundsException e) {
            return null; // truncated or not JSON: the parser reports it
        }
    }

    private static byte[] stampOrNull(byte[] json, String rv) {
        int i = skipWs(json, 0);
        if (json[i] != '{') return null;
        i = skipWs(json, i + 1);
        while (json[i] == '"') {
            int keyEnd = skipString(json, i);
            boolean isMetadata = equalsKey(json, i, keyEnd, METADATA);
            i = skipWs(json, keyEnd);
            if (json[i] != ':') return null;
            i = skipWs(json, i + 1);
            if (isMetadata) return json[i] == '{' ? insert(json, i, rv) : null;
            i = skipWs(json, skipValue(json, i));
            if (json[i] != ',') return null;
            i = skipWs(json, i + 1);
        }
        return null;
    }

    /** Adds the field to the object starting at {@code open}, after checking it is not there yet. */
    private static byte[] insert(byte[] json, int open, String rv) {
        int i = skipWs(json, open + 1);
        boolean empty = json[i] == '}';
        while (json[i] == '"') {
            int keyEnd = skipString(json, i);
            if (equalsKey(json, i, keyEnd, RESOURCE_VERSION)) return null;
            i = skipWs(json, keyEnd);
            if (json[i] != ':') return null;
            i = skipWs(json, skipValue(json, skipWs(json, i + 1)));
            if (json[i] == '}') break;
            if (json[i] != ',') return null;
            i = skipWs(json, i + 1);
        }
        if (json[i] != '}') return null;
        byte[] field = ((empty ? "" : ",") + "\"resourceVersion\":\"" + rv + "\"").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[json.length + field.length];
        System.arraycopy(json, 0, out, 0, i);
        System.arraycopy(field, 0, out, i, field.length);
        System.arraycopy(json, i, out, i + field.length, json.length - i);
        return out;
    }

    /** Whether the string token {@code [start, end)} (quotes included) is exactly {@code key}. */
    private static boolean equalsKey(byte[] json, int start, int end, byte[] key) {
        if (end - start != key.length + 2) return false;
        for (int k = 0; k < key.length; k++) {
            if (json[start + 1 + k] != key[k]) return false;
        }
        return true;
    }

    /** The index after the string token that starts at {@code i}. */
    private static int skipString(byte[] json, int i) {
        i++;
        while (json[i] != '"') {
            i += json[i] == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** The index after the value that starts at {@code i}. */
    private static int skipValue(byte[] json, int i) {
        byte c = json[i];
        if (c == '"') return skipString(json, i);
        if (c == '{' || c == '[') {
            int depth = 0;
            do {
                c = json[i];
                if (c == '"') {
                    i = skipString(json, i);
                    continue;
                }
                if (c == '{' || c == '[') depth++;
                else if (c == '}' || c == ']') depth--;
                i++;
            } while (depth > 0);
            return i;
        }
        while (c != ',' && c != '}' && c != ']' && c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            c = json[++i];
        }
        return i;
    }

    private static int skipWs(byte[] json, int i) {
        while (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t') i++;
        return i;
    }
}
