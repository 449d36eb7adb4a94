package dev.roster.api.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An apply that would change fields other managers own. The message is upstream's, word for
 * word, since kubectl prints it: one conflict on one line, several grouped by manager.
 */
public final class ApplyConflict extends RuntimeException {

    /** One conflicting field: who owns it ({@link ManagedFields.Manager#describe()}) and its path. */
    public record Conflict(String manager, String path) {}

    private final List<Conflict> conflicts;

    public ApplyConflict(List<Conflict> conflicts) {
        super(message(conflicts));
        this.conflicts = List.copyOf(conflicts);
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }

    static String message(List<Conflict> conflicts) {
        if (conflicts.size() == 1) {
            Conflict c = conflicts.get(0);
            return "Apply failed with 1 conflict: conflict with " + c.manager() + ": " + c.path();
        }
        Map<String, List<String>> byManager = new TreeMap<>();
        for (Conflict c : conflicts) byManager.computeIfAbsent(c.manager(), k -> new ArrayList<>()).add(c.path());
        List<String> lines = new ArrayList<>();
        byManager.forEach((m, paths) -> {
            lines.add("conflicts with " + m + ":");
            for (String p : paths) lines.add("- " + p);
        });
        return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
    }
}
