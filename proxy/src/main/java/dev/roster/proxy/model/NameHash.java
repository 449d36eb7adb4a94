package dev.roster.proxy.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash kube-proxy puts in its per-service chain names: SHA-256 of a string, written in base32
 * (RFC 4648 alphabet, no padding) and cut to a prefix. iptables names use 16 characters, nftables
 * names 8. Keeps one digest: use from one thread, as a renderer is.
 */
public final class NameHash {
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private final MessageDigest sha256;

    public NameHash() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code chars} base32 characters of the input's SHA-256; {@code chars} is 8, 16, … (5 bytes per 8). */
    public String prefix(String input, int chars) {
        if (chars <= 0 || chars % 8 != 0 || chars > 48) throw new IllegalArgumentException("prefix length " + chars);
        byte[] d = sha256.digest(input.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[chars];
        for (int block = 0; block < chars / 8; block++) {
            long v = 0;
            for (int i = 0; i < 5; i++) v = (v << 8) | (d[block * 5 + i] & 0xff);
            for (int i = 0; i < 8; i++) out[block * 8 + i] = BASE32[(int) ((v >>> ((7 - i) * 5)) & 31)];
        }
        return new String(out);
    }
}
