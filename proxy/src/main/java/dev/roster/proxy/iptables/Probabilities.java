package dev.roster.proxy.iptables;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * The {@code --probability} values 1/n, printed as Go's {@code %0.10f} prints them: correctly rounded
 * from the binary double with ties to even. Java's {@code String.format("%.10f")} rounds ties up and
 * differs at n = 2048 ({@code 0.0004882812} in Go), so the exact decimal value is rounded instead.
 */
final class Probabilities {
    private static volatile String[] cache = new String[0];

    private Probabilities() {
    }

    static String of(int n) {
        String[] c = cache;
        if (n < c.length) return c[n];
        if (n > 100_000) return format(n); // uncommonly large: do not grow the cache without bound
        String[] grown = Arrays.copyOf(c, Math.max(n + 1, Math.min(Math.max(c.length * 2, 1024), 100_001)));
        for (int i = Math.max(c.length, 1); i < grown.length; i++) grown[i] = format(i);
        cache = grown;
        return grown[n];
    }

    static String format(int n) {
        return new BigDecimal(1.0 / n).setScale(10, RoundingMode.HALF_EVEN).toPlainString();
    }
}
