package dev.roster.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The upstream-derived test vectors, read from the test classpath under {@code vectors/} (each module keeps its
 * cases in {@code src/test/resources/vectors}, with a README saying where they came from). A missing file fails
 * the test: the vectors are part of the checkout.
 */
public final class Vectors {
    private Vectors() {}

    /** The text of {@code vectors/<relative>}, e.g. {@code kube-proxy/04-bad-ips-lb-sourceranges/input.yaml}. */
    public static String text(String relative) {
        String name = "vectors/" + relative;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new AssertionError("test vector " + name + " is not on the test classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document of {@code vectors/<relative>} as plain maps (empty documents skipped; {@code kind: List} expanded). */
    public static List<Map<String, Object>> documents(String relative) {
        return yamlDocuments(text(relative));
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> yamlDocuments(String text) {
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
