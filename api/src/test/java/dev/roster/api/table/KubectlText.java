package dev.roster.api.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Renders a Table roughly as {@code kubectl get -o wide} does (upper-cased headers, columns padded
 * by three spaces), so golden files can be read side by side with a real cluster's output.
 */
final class KubectlText {

    private KubectlText() {}

    static String render(JsonNode columns, List<JsonNode> rows) {
        List<List<String>> lines = new ArrayList<>();
        List<String> header = new ArrayList<>();
        columns.forEach(c -> header.add(c.get("name").asString().toUpperCase(Locale.ROOT)));
        lines.add(header);
        for (JsonNode row : rows) {
            List<String> line = new ArrayList<>();
            row.forEach(cell -> line.add(cell.isString() ? cell.asString() : cell.toString()));
            lines.add(line);
        }
        int[] widths = new int[header.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size() && i < widths.length; i++) widths[i] = Math.max(widths[i], line.get(i).length());
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                l.append(line.get(i));
                if (i < line.size() - 1) l.append(" ".repeat(widths[i] - line.get(i).length() + 3));
            }
            sb.append(l.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
