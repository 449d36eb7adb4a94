package dev.roster.proxy.nftables;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The elements of one kube-proxy set or map as the kernel has them after the last render, so that a
 * partial sync writes only additions, changed values (delete and re-add) and removals, as upstream does.
 * Each element carries the render generation that last wanted it; the others are removed at the end.
 */
final class ElementStore {
    static final class Entry {
        final String key;
        String value;
        int generation;

        Entry(String key, String value) {
            this.key = key;
            this.value = value;
        }
    }

    private final String kind, name;
    private final Map<String, Entry> elements = new HashMap<>();
    private int generation;

    ElementStore(String kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    /** Starts a render. */
    void begin(int generation) {
        this.generation = generation;
    }

    /** Forgets everything and flushes the container (full sync). */
    void reset(Tx tx) {
        elements.clear();
        tx.flush(kind, name);
    }

    /** Wants the element this render; writes it when new or changed. Returns its entry (to touch later). */
    Entry ensure(Tx tx, String key, String value, String comment) {
        Entry e = elements.get(key);
        if (e == null) {
            e = new Entry(key, value);
            elements.put(key, e);
            tx.addElement(name, key, comment, value);
        } else if (value != null && !value.equals(e.value)) {
            tx.deleteElement(name, key);
            tx.addElement(name, key, comment, value);
            e.value = value;
        }
        e.generation = generation;
        return e;
    }

    /** Wants an element again without writing anything (its service did not change). */
    void touch(Entry e) {
        e.generation = generation;
    }

    /** Deletes every element not wanted in this render, in key order. */
    int removeLeftovers(Tx tx) {
        List<String> gone = new ArrayList<>();
        for (Entry e : elements.values()) if (e.generation != generation) gone.add(e.key);
        gone.sort(null);
        for (String key : gone) {
            elements.remove(key);
            tx.deleteElement(name, key);
        }
        return gone.size();
    }

    int size() {
        return elements.size();
    }
}
