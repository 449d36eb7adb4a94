package dev.roster.controllers.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Finds and reads the shared upstream test vectors: {@code -Droster.vectors.dir}, else {@code shared/vectors} in
 * the working directory or one of its ancestors, or beside one of them (the repo and {@code shared/} are siblings).
 */
public final class Vectors {
    private Vectors() {}

    public static Path dir() {
        String prop = System.getProperty("roster.vectors.dir");
        if (prop != null && Files.isDirectory(Path.of(prop))) return Path.of(prop).toAbsolutePath().normalize();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path c : List.of(p.resolve("shared/vectors"), p.resolveSibling("shared").resolve("vectors"))) {
                if (Files.isDirectory(c)) return c.normalize();
            }
        }
        return null;
    }

    /** The case folder under {@code controllers/}, or the test is skipped with the reason. */
    public static Path controllerCase(String name) {
        Path d = dir();
        Assumptions.assumeTrue(d != null, "shared test vectors not found: set -Droster.vectors.dir or put shared/vectors"
                + " beside the repository");
        Path c = d.resolve("controllers").resolve(name);
        Assumptions.assumeTrue(Files.isDirectory(c), "vector case missing: " + c);
        return c;
    }

    /** Every YAML document of a file as plain maps (empty documents skipped); {@code kind: List} is expanded. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> documents(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
            if (!(doc instanceof Map<?, ?> m)) continue;
            if ("List".equals(m.get("kind")) && m.get("items") instanceof List<?> items) {
                for (Object i : items) out.add((Map<String, Object>) i);
            } else {
                out.add((Map<String, Object>) m);
            }
        }
        return out;
    }
}
