package dev.roster.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * Columns and cells of every built-in resource against golden files: {@code <stem>.golden} next to
 * each fixture holds the column definitions, one JSON row of cells per fixture object, and the
 * kubectl-style rendering of them. Run with {@code -Dgolden.update=true} to rewrite the goldens
 * from the current output, then review the diff.
 */
class TablePrintersGoldenTest {

    private static final TablePrinters PRINTERS = TablePrinters.builtin();

    static Stream<ResourceType> resources() {
        return ResourceRegistry.builtin().all().stream().filter(t -> !t.isReview()); // reviews are never listed
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void matchesGolden(ResourceType type) throws IOException {
        ArrayNode columns = PRINTERS.columnDefinitions(type);
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode o : Fixtures.objects(type)) rows.add(PRINTERS.cells(type, o, Fixtures.NOW));

        StringBuilder actual = new StringBuilder();
        actual.append("# ").append(type.groupVersion()).append(' ').append(type.resource())
                .append(", ages measured to ").append(Fixtures.NOW).append('\n');
        actual.append("columns:\n");
        columns.forEach(c -> actual.append(Json.text(c)).append('\n'));
        actual.append("rows:\n");
        rows.forEach(r -> actual.append(Json.text(r)).append('\n'));
        actual.append("kubectl -o wide:\n");
        actual.append(KubectlText.render(columns, rows));

        Path golden = Fixtures.DIR.resolve(Fixtures.stem(type) + ".golden");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, actual.toString());
        }
        assertThat(golden).as("golden file; run with -Dgolden.update=true to create it").exists();
        assertThat(actual.toString()).isEqualTo(Files.readString(golden));
    }
}
