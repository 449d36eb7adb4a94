package dev.roster.proxy.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kernel holds after a series of {@code nft -f} transactions for the kube-proxy table, in the
 * spirit of knftables' fake: objects and rules are applied in order (flush empties, delete removes,
 * adding an existing map key with another value fails as in the kernel). {@link #dump()} prints the
 * result as {@code add} lines, and {@link #sortLikeUpstream} orders lines as upstream's
 * sortNFTablesTransaction does for comparisons.
 */
public final class NftTables {
    private String table;
    private final Map<String, String> chains = new LinkedHashMap<>();
    private final Map<String, List<String>> rules = new LinkedHashMap<>();
    private final Map<String, String> sets = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> elements = new LinkedHashMap<>();

    public void apply(String tx) {
        for (String line : tx.split("\n")) {
            if (line.isBlank()) continue;
            String[] w = line.split(" ", 6);
            String verb = w[0], kind = w[1];
            String name = w.length > 4 ? w[4] : "";
            switch (verb + " " + kind) {
                case "add table" -> table = line;
                case "add chain" -> {
                    chains.putIfAbsent(name, line);
                    rules.putIfAbsent(name, new ArrayList<>());
                }
                case "flush chain" -> need(rules, name, line).clear();
                case "delete chain" -> {
                    need(rules, name, line);
                    if (!rules.get(name).isEmpty()) throw new IllegalStateException("deleting a non-empty chain: " + line);
                    for (var m : elements.values()) {
                        for (String e : m.values()) {
                            if (e.contains("goto " + name + " ") || e.endsWith("goto " + name + " }"))
                                throw new IllegalStateException("deleting a chain still referenced by " + e);
                        }
                    }
                    chains.remove(name);
                    rules.remove(name);
                }
                case "add rule" -> need(rules, name, line).add(line);
                case "add set", "add map" -> {
                    sets.putIfAbsent(name, line);
                    elements.putIfAbsent(name, new LinkedHashMap<>());
                }
                case "flush set", "flush map" -> need(elements, name, line).clear();
                case "delete set", "delete map" -> {
                    need(elements, name, line);
                    sets.remove(name);
                    elements.remove(name);
                }
                case "add element" -> {
                    String key = key(line);
                    String before = need(elements, name, line).get(key);
                    if (before != null && !before.equals(line)) throw new IllegalStateException("element exists: " + line);
                    elements.get(name).put(key, line);
                }
                case "delete element" -> {
                    if (need(elements, name, line).remove(key(line)) == null) throw new IllegalStateException("no such element: " + line);
                }
                default -> throw new IllegalArgumentException("unknown operation: " + line);
            }
        }
    }

    private static String key(String line) {
        String inner = line.substring(line.indexOf("{ ") + 2, line.lastIndexOf(" }"));
        int c = inner.indexOf(" comment ");
        if (c >= 0) return inner.substring(0, c);
        int v = inner.indexOf(" : ");
        return v >= 0 ? inner.substring(0, v) : inner;
    }

    private static <T> T need(Map<String, T> m, String name, String line) {
        T t = m.get(name);
        if (t == null) throw new IllegalStateException("no such object: " + line);
        return t;
    }

    public List<String> chainRules(String chain) {
        return rules.getOrDefault(chain, List.of());
    }

    public java.util.Set<String> chainNames() {
        return chains.keySet();
    }

    /** Everything as add lines: table, chains, rules, sets and maps, elements. */
    public String dump() {
        List<String> out = new ArrayList<>();
        if (table != null) out.add(table);
        out.addAll(chains.values());
        rules.values().forEach(out::addAll);
        out.addAll(sets.values());
        elements.values().forEach(m -> out.addAll(m.values()));
        return String.join("\n", out);
    }

    private static int order(String type) {
        return switch (type) {
            case "table" -> 10;
            case "chain" -> 9;
            case "rule" -> 8;
            case "set" -> 7;
            case "map" -> 6;
            case "element" -> 5;
            default -> 0;
        };
    }

    /** Upstream's sortNFTablesTransaction: drop blanks and comments, stable sort by type, name, then line (rules keep their order). */
    public static String sortLikeUpstream(String tx) {
        List<String> lines = new ArrayList<>();
        for (String l : tx.split("\n")) if (!l.isEmpty() && l.charAt(0) != '#') lines.add(l);
        // insertion sort with upstream's less() (a stable sort)
        for (int i = 1; i < lines.size(); i++) {
            for (int j = i; j > 0 && less(lines.get(j), lines.get(j - 1)); j--) {
                String t = lines.get(j);
                lines.set(j, lines.get(j - 1));
                lines.set(j - 1, t);
            }
        }
        return String.join("\n", lines);
    }

    private static boolean less(String li, String lj) {
        String[] wi = li.split(" "), wj = lj.split(" ");
        if (wi.length < 5 || wj.length < 5) return false;
        if (!wi[1].equals(wj[1])) return order(wi[1]) > order(wj[1]);
        if (!wi[4].equals(wj[4])) return wi[4].compareTo(wj[4]) < 0;
        if (wi[1].equals("rule")) return false;
        return li.compareTo(lj) < 0;
    }
}
