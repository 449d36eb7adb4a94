package dev.roster.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** What kubectl relies on for every resource, whatever its columns. */
class TablePrintersContractTest {

    private static final TablePrinters PRINTERS = TablePrinters.builtin();

    static Stream<ResourceType> resources() {
        return ResourceRegistry.builtin().all().stream().filter(t -> !t.isReview()); // reviews are never listed
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void everyBuiltinResourceHasItsOwnColumns(ResourceType type) {
        assertThat(PRINTERS.hasPrinter(type)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void columnDefinitionsAreWellFormed(ResourceType type) {
        ArrayNode defs = PRINTERS.columnDefinitions(type);
        assertThat(defs).isNotEmpty();
        long nameColumns = 0;
        for (JsonNode d : defs) {
            assertThat(d.propertyNames()).containsExactly("name", "type", "format", "description", "priority");
            assertThat(d.get("type").asString()).isIn("string", "integer", "date");
            assertThat(d.get("description").asString()).isNotBlank();
            assertThat(d.get("priority").asInt()).isIn(0, 1);
            if (d.get("format").asString().equals("name")) {
                nameColumns++;
                assertThat(d.get("name").asString()).isEqualTo("Name");
            }
        }
        assertThat(nameColumns).as("exactly one column of format name").isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void cellsLineUpWithColumnsAndIntegerColumnsHoldNumbers(ResourceType type) {
        ArrayNode defs = PRINTERS.columnDefinitions(type);
        List<JsonNode> objects = Fixtures.objects(type);
        assertThat(objects).as("fixtures for " + type.resource()).isNotEmpty();
        for (JsonNode o : objects) {
            ArrayNode cells = PRINTERS.cells(type, o, Fixtures.NOW);
            assertThat(cells).as(Fields.name(o)).hasSameSizeAs(defs);
            for (int i = 0; i < defs.size(); i++) {
                JsonNode cell = cells.get(i);
                assertThat(cell.isString() || cell.isIntegralNumber()).as("cell %d of %s", i, Fields.name(o)).isTrue();
                if (defs.get(i).get("type").asString().equals("integer")) {
                    assertThat(cell.isIntegralNumber()).as("integer column %s", defs.get(i).get("name")).isTrue();
                }
                if (defs.get(i).get("format").asString().equals("name")) {
                    assertThat(cell.asString()).isEqualTo(Fields.name(o));
                }
            }
        }
    }

    @Test
    void unknownResourcesGetNameAndCreationDate() {
        ResourceType widgets = new ResourceType("example.dev", "v1", "widgets", "widget", "Widget", true,
                List.of(), List.of(), List.of(), "/registry/example.dev/widgets");
        assertThat(PRINTERS.hasPrinter(widgets)).isFalse();
        ArrayNode defs = PRINTERS.columnDefinitions(widgets);
        assertThat(defs).extracting(d -> d.get("name").asString()).containsExactly("Name", "Created At");
        assertThat(defs.get(1).get("type").asString()).isEqualTo("date");
        JsonNode widget = dev.roster.api.Json.parse(
                "{\"metadata\":{\"name\":\"w1\",\"creationTimestamp\":\"2025-05-31T14:30:00+02:00\"}}");
        assertThat(PRINTERS.cells(widgets, widget, Fixtures.NOW))
                .extracting(JsonNode::asString).containsExactly("w1", "2025-05-31T12:30:00Z");
    }

    @Test
    void finishedPodsCarryACompletedRowCondition() {
        ResourceType pods = ResourceRegistry.builtin().find("", "v1", "pods").orElseThrow();
        ArrayNode done = PRINTERS.rowConditions(pods, Fixtures.object(pods, "completed"));
        assertThat(done).hasSize(1);
        assertThat(done.get(0).get("type").asString()).isEqualTo("Completed");
        assertThat(done.get(0).get("reason").asString()).isEqualTo("Succeeded");
        assertThat(PRINTERS.rowConditions(pods, Fixtures.object(pods, "evicted")).get(0).get("reason").asString())
                .isEqualTo("Failed");
        assertThat(PRINTERS.rowConditions(pods, Fixtures.object(pods, "running"))).isNull();
    }

    @Test
    void halfFilledObjectsStillPrint() {
        JsonNode bare = dev.roster.api.Json.parse("{\"metadata\":{\"name\":\"x\"},\"spec\":null,\"status\":{}}");
        for (ResourceType type : ResourceRegistry.builtin().all()) {
            if (type.isReview()) continue;
            assertThat(PRINTERS.cells(type, bare, Fixtures.NOW)).as(type.resource())
                    .hasSameSizeAs(PRINTERS.columnDefinitions(type));
        }
    }
}
