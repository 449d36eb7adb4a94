package dev.roster.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Results side by side: one markdown table per scenario, ratio oriented so that > 1 means roster is better. */
final class Report {
    /** One measured quantity. {@code higherIsBetter} picks the ratio's orientation. */
    record Row(String what, double roster, double peer, String unit, boolean higherIsBetter, String target, String note) {
        String ratio() {
            if (Double.isNaN(roster) || Double.isNaN(peer) || roster == 0 || peer == 0) return "n/a";
            double r = higherIsBetter ? roster / peer : peer / roster;
            return String.format(Locale.ROOT, "%.1f×", r);
        }
    }

    private final Map<String, List<Row>> sections = new LinkedHashMap<>();
    private final Map<String, String> peers = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    void add(String section, String peerName, Row row) {
        sections.computeIfAbsent(section, k -> new ArrayList<>()).add(row);
        peers.putIfAbsent(section, peerName);
        System.out.println("  " + section + " | " + row.what() + ": roster " + fmt(row.roster()) + " " + row.unit()
                + ", " + peerName + " " + fmt(row.peer()) + " -> " + row.ratio() + (row.note().isEmpty() ? "" : " (" + row.note() + ")"));
    }

    void note(String n) {
        notes.add(n);
        System.out.println("  note: " + n);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        for (var e : sections.entrySet()) {
            String peer = peers.get(e.getKey());
            sb.append("\n### ").append(e.getKey()).append("\n\n");
            sb.append("| measure | roster | ").append(peer).append(" | roster advantage | target | note |\n");
            sb.append("|---|---:|---:|---:|---|---|\n");
            for (Row r : e.getValue()) {
                sb.append("| ").append(r.what()).append(" (").append(r.unit()).append(", ")
                        .append(r.higherIsBetter() ? "higher" : "lower").append(" is better) | ")
                        .append(fmt(r.roster())).append(" | ").append(fmt(r.peer())).append(" | ")
                        .append(r.ratio()).append(" | ").append(r.target()).append(" | ").append(r.note()).append(" |\n");
            }
        }
        if (!notes.isEmpty()) {
            sb.append("\nNotes from the run:\n\n");
            for (String n : notes) sb.append("- ").append(n).append('\n');
        }
        return sb.toString();
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (Math.abs(v) >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (Math.abs(v) >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
