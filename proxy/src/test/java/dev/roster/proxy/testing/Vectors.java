package dev.roster.proxy.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared upstream vectors ({@code shared/vectors/kube-proxy}): the {@code roster.vectors}
 * system property, else {@code shared/} beside or above the checkout, else {@code /work/shared}.
 * Tests that need them are skipped with a clear message when they are absent.
 */
public final class Vectors {
    private Vectors() {
    }

    public static Path kubeProxy() {
        String prop = System.getProperty("roster.vectors");
        if (prop != null && Files.isDirectory(Path.of(prop, "kube-proxy"))) return Path.of(prop, "kube-proxy");
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path c = p.resolve("shared/vectors/kube-proxy");
            if (Files.isDirectory(c)) return c;
        }
        Path fallback = Path.of("/work/shared/vectors/kube-proxy");
        Assumptions.assumeTrue(Files.isDirectory(fallback),
                "upstream vectors not found: set -Droster.vectors=<dir with kube-proxy/> (looked for shared/vectors above " + dir + ")");
        return fallback;
    }

    public static String read(String relative) {
        try {
            return Files.readString(kubeProxy().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
