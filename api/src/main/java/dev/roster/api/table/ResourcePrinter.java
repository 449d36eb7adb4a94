package dev.roster.api.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * How one resource is printed. Cells always include the wide (priority 1) columns: the server
 * answers every Table request as if for {@code -o wide} and kubectl drops the columns it does not
 * show, so the cells must line up with {@link #columns()} one to one.
 */
interface ResourcePrinter {

    List<Column> columns();

    void cells(JsonNode object, Instant now, ArrayNode out);

    /** A printer from its columns and a cell function, for the short ones. */
    static ResourcePrinter of(List<Column> columns, CellWriter writer) {
        return new ResourcePrinter() {
            @Override
            public List<Column> columns() {
                return columns;
            }

            @Override
            public void cells(JsonNode object, Instant now, ArrayNode out) {
                writer.write(object, now, out);
            }
        };
    }

    /**
     * The usual short table: Name, the given facts, then Age. {@code facts} writes one cell per
     * fact column, in order.
     */
    static ResourcePrinter named(List<Column> factColumns, CellWriter facts) {
        List<Column> columns = new ArrayList<>();
        columns.add(Column.NAME);
        columns.addAll(factColumns);
        columns.add(Column.AGE);
        return of(List.copyOf(columns), (object, now, out) -> {
            out.add(Fields.name(object));
            facts.write(object, now, out);
            out.add(Fields.age(object, now));
        });
    }

    @FunctionalInterface
    interface CellWriter {
        void write(JsonNode object, Instant now, ArrayNode out);
    }
}
