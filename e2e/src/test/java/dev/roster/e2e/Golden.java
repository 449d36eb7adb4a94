package dev.roster.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Golden files of kubectl output under {@code src/test/resources/golden} ({@link dev.roster.testing.Golden};
 * {@code -Dgolden.update=true} rewrites them). kubectl tables are normalised first by {@link #table}: volatile cells
 * are masked and columns re-aligned, so a golden file holds what must not change (headers, order, cell formats).
 */
public final class Golden {
    /** A kubectl/Kubernetes duration such as {@code 0s}, {@code 12s}, {@code 3m4s}, {@code 5h}, {@code 2d3h}. */
    static final Pattern AGE = Pattern.compile("(\\d+[smhdy])+|<unknown>|<invalid>");
    static final Pattern LOOPBACK_CLUSTER_IP = Pattern.compile("127\\.96\\.\\d{1,3}\\.\\d{1,3}");

    private Golden() {}

    /** Compares {@code actual} with golden file {@code name} (or rewrites it with -Dgolden.update=true). */
    public static void assertMatches(String name, String actual) {
        dev.roster.testing.Golden.standard().assertMatches(name, actual);
    }

    /**
     * AGE cells masked (each checked to look like an age), ClusterIPs in 127.96/16 masked, and the counts that
     * controllers move over time (READY {@code n/desired}, UP-TO-DATE, AVAILABLE) reduced to their shape, keeping
     * the desired count.
     */
    public static String table(String kubectlOutput) {
        return table(kubectlOutput, Map.of(
                "AGE", cell -> mask(cell, AGE, "<age>"),
                "CLUSTER-IP", cell -> mask(cell, LOOPBACK_CLUSTER_IP, "<127.96.x.x>"),
                "READY", cell -> READY.matcher(cell).matches() ? READY.matcher(cell).replaceAll("<n>/$1") : cell,
                "UP-TO-DATE", cell -> mask(cell, COUNT, "<n>"),
                "AVAILABLE", cell -> mask(cell, COUNT, "<n>")));
    }

    private static final Pattern READY = Pattern.compile("\\d+/(\\d+)");
    private static final Pattern COUNT = Pattern.compile("\\d+");

    /**
     * Normalises kubectl table output: each block (tables are separated by blank lines) starts with a header whose
     * column starts (a word after two or more spaces) cut every row into cells, so empty cells stay empty; columns
     * named in {@code masks} are rewritten; columns re-aligned with kubectl's three-space gap.
     */
    public static String table(String out, Map<String, UnaryOperator<String>> masks) {
        StringBuilder sb = new StringBuilder();
        List<String> block = new ArrayList<>();
        for (String line : (out + "\n").split("\n", -1)) {
            if (line.isBlank()) {
                if (!block.isEmpty()) {
                    if (!sb.isEmpty()) sb.append('\n');
                    render(cells(block), masks, sb);
                    block.clear();
                }
                continue;
            }
            block.add(line);
        }
        return sb.toString();
    }

    private static List<List<String>> cells(List<String> block) {
        String header = block.get(0);
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < header.length(); i++) {
            if (header.charAt(i) != ' ' && (i == 0 || i >= 2 && header.startsWith("  ", i - 2))) starts.add(i);
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : block) {
            List<String> row = new ArrayList<>();
            for (int c = 0; c < starts.size(); c++) {
                int from = Math.min(starts.get(c), line.length());
                int to = c + 1 < starts.size() ? Math.min(starts.get(c + 1), line.length()) : line.length();
                row.add(line.substring(from, to).strip());
            }
            rows.add(row);
        }
        return rows;
    }

    private static void render(List<List<String>> rows, Map<String, UnaryOperator<String>> masks, StringBuilder sb) {
        List<String> header = rows.get(0);
        List<List<String>> masked = new ArrayList<>();
        masked.add(header);
        for (List<String> row : rows.subList(1, rows.size())) {
            List<String> r = new ArrayList<>(row);
            for (int i = 0; i < r.size() && i < header.size(); i++) {
                UnaryOperator<String> m = masks.get(header.get(i));
                if (m != null) r.set(i, m.apply(r.get(i)));
            }
            masked.add(r);
        }
        int cols = masked.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[cols];
        for (List<String> r : masked) for (int i = 0; i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).length());
        for (List<String> r : masked) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(r.get(i));
                if (i < r.size() - 1) line.append(" ".repeat(width[i] - r.get(i).length() + 3));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /** {@code replacement} when the whole cell matches {@code p}; otherwise the cell unchanged, so the golden diff shows it. */
    static String mask(String cell, Pattern p, String replacement) {
        return p.matcher(cell).matches() ? replacement : cell;
    }
}
