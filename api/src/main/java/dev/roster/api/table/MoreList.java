package dev.roster.api.table;

import java.util.ArrayList;
import java.util.List;

/**
 * The "first three, then + N more..." lists of the endpoint columns: long address lists would
 * make every row of {@code kubectl get} unreadable, so only a preview and a count are shown.
 */
final class MoreList {

    static final int SHOWN = 3;

    private final List<String> shown = new ArrayList<>(SHOWN);
    private int count;

    void add(String item) {
        if (shown.size() < SHOWN) shown.add(item);
        count++;
    }

    int count() {
        return count;
    }

    /** The preview; {@code empty} when nothing was added. */
    String text(String empty) {
        String joined = String.join(",", shown);
        if (count > SHOWN) return joined + " + " + (count - SHOWN) + " more...";
        return joined.isEmpty() ? empty : joined;
    }
}
