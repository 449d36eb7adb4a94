package dev.roster.bench.jmh;

import dev.roster.api.Json;
import dev.roster.api.schema.FieldValidator;
import dev.roster.api.schema.Schema;
import dev.roster.api.schema.SchemaCatalog;
import dev.roster.bench.Pods;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * What server-side field validation adds to a create of a pod: parsing the body with repeated
 * fields refused (instead of a plain parse) and one walk of the tree against the Pod schema,
 * each beside the plain parse every create does anyway.
 */
public class FieldValidationBench extends MicroBench {
    byte[] body;
    JsonNode tree;
    Schema pod;
    ObjectReader noDuplicates;

    @Setup
    public void setUp() {
        body = Pods.storedPod(1).getBytes(StandardCharsets.UTF_8);
        tree = Json.parse(body);
        pod = SchemaCatalog.builtin().kind("", "v1", "Pod");
        noDuplicates = Json.MAPPER.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        if (!FieldValidator.unknownFields(pod, tree).isEmpty()) {
            throw new IllegalStateException("bench pod has unknown fields: " + FieldValidator.unknownFields(pod, tree));
        }
    }

    /** The parse every create does: the baseline. */
    @Benchmark
    public JsonNode parse() {
        return Json.parse(body);
    }

    /** The same parse with repeated fields refused (what a validated create uses instead). */
    @Benchmark
    public JsonNode parseRefusingDuplicates() {
        return noDuplicates.readValue(body);
    }

    /** The walk that finds undeclared fields. */
    @Benchmark
    public List<String> unknownFields() {
        return FieldValidator.unknownFields(pod, tree);
    }
}
