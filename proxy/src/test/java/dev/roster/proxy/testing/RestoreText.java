package dev.roster.proxy.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * iptables-restore input parsed the way upstream's tests parse it, with upstream's normalisation
 * for comparing against expected text (vectors/kube-proxy/COMPARISON.md in the test resources): tables by name,
 * chains KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-* then the rest, some chains' rules stable-sorted
 * by the service named in their comment, deleted chains listed at the end of their table.
 */
public final class RestoreText {
    public static final class Chain {
        public final String name;
        public final String counters;
        public final List<String> rules = new ArrayList<>();
        public boolean deleted;

        Chain(String name, String counters) {
            this.name = name;
            this.counters = counters;
        }
    }

    /** Tables by name, each with its chains in declaration order. */
    public final Map<String, Map<String, Chain>> tables = new LinkedHashMap<>();

    public static RestoreText parse(String text) {
        RestoreText r = new RestoreText();
        Map<String, Chain> table = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (table == null) {
                if (!line.startsWith("*")) throw new IllegalArgumentException("expected table: " + line);
                table = new LinkedHashMap<>();
                r.tables.put(line.substring(1), table);
            } else if (line.equals("COMMIT")) {
                table = null;
            } else if (line.startsWith(":")) {
                int sp = line.indexOf(' ');
                String name = line.substring(1, sp);
                if (table.containsKey(name)) throw new IllegalArgumentException("chain declared twice: " + name);
                table.put(name, new Chain(name, line.substring(line.lastIndexOf(' ') + 1)));
            } else if (line.startsWith("-A ")) {
                int sp = line.indexOf(' ', 3);
                String name = line.substring(3, sp < 0 ? line.length() : sp);
                Chain c = table.get(name);
                if (c == null) throw new IllegalArgumentException("rule for undeclared chain: " + line);
                c.rules.add(line);
            } else if (line.startsWith("-X ")) {
                Chain c = table.get(line.substring(3));
                if (c == null || !c.rules.isEmpty()) throw new IllegalArgumentException("bad delete: " + line);
                c.deleted = true;
            } else {
                throw new IllegalArgumentException("unexpected line: " + line);
            }
        }
        if (table != null) throw new IllegalArgumentException("missing COMMIT");
        return r;
    }

    /** The rules of one chain, each followed by a newline, unsorted (upstream's assertIPTablesChainEqual). */
    public String chainText(String table, String chain) {
        Map<String, Chain> t = tables.get(table);
        Chain c = t == null ? null : t.get(chain);
        if (c == null) return "";
        StringBuilder sb = new StringBuilder();
        for (String rule : c.rules) sb.append(rule).append('\n');
        return sb.toString();
    }

    public boolean hasChain(String table, String chain) {
        Map<String, Chain> t = tables.get(table);
        return t != null && t.containsKey(chain);
    }

    /** Upstream's sortIPTablesRules + IPTablesDump.String. */
    public static String normalize(String text) {
        RestoreText r = parse(text);
        StringBuilder sb = new StringBuilder();
        for (String tableName : r.tables.keySet().stream().sorted().toList()) {
            List<Chain> chains = new ArrayList<>(r.tables.get(tableName).values());
            chains.sort(Comparator.comparing(c -> chainKey(c.name)));
            sb.append('*').append(tableName).append('\n');
            for (Chain c : chains) {
                if (c.name.equals("KUBE-NODEPORTS") || (c.name.equals("KUBE-SERVICES") && tableName.equals("filter"))) {
                    stableSortByService(c.rules, false);
                } else if (c.name.equals("KUBE-SERVICES") && tableName.equals("nat")) {
                    stableSortByService(c.rules, true);
                }
                sb.append(':').append(c.name).append(" - ").append(c.counters).append('\n');
            }
            for (Chain c : chains) for (String rule : c.rules) sb.append(rule).append('\n');
            for (Chain c : chains) if (c.deleted) sb.append("-X ").append(c.name).append('\n');
            sb.append("COMMIT\n");
        }
        return sb.toString();
    }

    private static String chainKey(String name) {
        if (name.equals("KUBE-NODEPORTS")) return "0";
        if (name.equals("KUBE-SERVICES")) return "1";
        return (name.startsWith("KUBE-") ? "2" : "3") + name;
    }

    /** Insertion sort with upstream's less(): stable, rules without a comment never move past others. */
    private static void stableSortByService(List<String> rules, boolean lastMarker) {
        for (int i = 1; i < rules.size(); i++) {
            for (int j = i; j > 0 && less(rules.get(j), rules.get(j - 1), lastMarker); j--) {
                String t = rules.get(j);
                rules.set(j, rules.get(j - 1));
                rules.set(j - 1, t);
            }
        }
    }

    private static boolean less(String a, String b, boolean lastMarker) {
        String ca = comment(a), cb = comment(b);
        if (lastMarker) {
            if (ca != null && ca.contains("must be the last rule")) return false;
            if (cb != null && cb.contains("must be the last rule")) return true;
        }
        if (ca == null || cb == null) return false;
        return serviceName(ca).compareTo(serviceName(cb)) < 0;
    }

    static String comment(String rule) {
        int i = rule.indexOf("--comment ");
        if (i < 0) return null;
        int s = i + "--comment ".length();
        if (rule.charAt(s) == '"') return rule.substring(s + 1, rule.indexOf('"', s + 1));
        int e = rule.indexOf(' ', s);
        return e < 0 ? rule.substring(s) : rule.substring(s, e);
    }

    private static String serviceName(String comment) {
        int end = comment.length();
        int sp = comment.indexOf(' '), colon = comment.indexOf(':');
        if (sp >= 0) end = Math.min(end, sp);
        if (colon >= 0) end = Math.min(end, colon);
        return comment.substring(0, end);
    }
}
