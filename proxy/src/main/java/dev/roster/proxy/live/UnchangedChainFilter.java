package dev.roster.proxy.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Leaves out of a partial restore the shared chains (KUBE-SERVICES, KUBE-NODEPORTS, KUBE-FORWARD, …) whose rules
 * are exactly what the last successful restore put in the kernel.
 *
 * <p>Why: upstream rewrites those chains on every sync. With iptables-nft that is what makes a partial sync slow
 * in a big cluster: re-adding KUBE-SERVICES' 1000 rules costs ~250 ms on this machine, while the changed
 * service's own chains cost ~10 ms. Leaving an unchanged chain undeclared in a {@code --noflush} restore keeps it
 * as it is, so the kernel ends up with the very same rules. Full syncs are never trimmed: they also repair chains
 * someone else changed behind the proxy's back, as upstream's every-sync rewrite does.
 */
final class UnchangedChainFilter {
    /** "table chain" → rule lines last applied, for the shared (non-per-service) chains. */
    private Map<String, List<String>> applied = new HashMap<>();
    private Map<String, List<String>> pending = Map.of();

    /** Parses one restore input: per table, the chain declarations and the other lines in order. */
    private record Table(String name, List<String> chains, List<String> lines) {}

    /** The text to write: on a partial sync without the unchanged shared chains. Call {@link #applied()} once written. */
    String trim(String text, boolean fullSync) {
        List<Table> tables = parse(text);
        Map<String, List<String>> shared = new HashMap<>();
        for (Table t : tables) {
            Map<String, List<String>> rules = rulesByChain(t);
            for (String chain : t.chains) {
                if (!IptablesApplier.isServiceChain(chain)) shared.put(t.name + " " + chain, rules.getOrDefault(chain, List.of()));
            }
        }
        pending = shared;
        if (fullSync) return text;
        StringBuilder out = new StringBuilder(text.length());
        for (Table t : tables) {
            List<String> keep = new ArrayList<>();
            for (String chain : t.chains) {
                String key = t.name + " " + chain;
                if (IptablesApplier.isServiceChain(chain) || !shared.get(key).equals(applied.get(key))) keep.add(chain);
            }
            List<String> lines = new ArrayList<>();
            for (String l : t.lines) {
                String chain = l.startsWith("-A ") ? word(l) : null;
                if (chain == null || keep.contains(chain) || !t.chains.contains(chain)) lines.add(l);
            }
            if (keep.isEmpty() && lines.isEmpty()) continue;
            out.append('*').append(t.name).append('\n');
            for (String c : keep) out.append(':').append(c).append(" - [0:0]\n");
            for (String l : lines) out.append(l).append('\n');
            out.append("COMMIT\n");
        }
        return out.toString();
    }

    /** The last trimmed text was applied: its shared chains are now what the kernel has. */
    void applied() {
        applied.putAll(pending);
        pending = Map.of();
    }

    /** A restore failed or the kernel may differ: compare with nothing until the next full sync. */
    void forget() {
        applied = new HashMap<>();
        pending = Map.of();
    }

    private static List<Table> parse(String text) {
        List<Table> tables = new ArrayList<>();
        Table cur = null;
        for (String l : text.split("\n")) {
            if (l.isEmpty() || l.startsWith("#")) continue;
            if (l.startsWith("*")) {
                cur = new Table(l.substring(1), new ArrayList<>(), new ArrayList<>());
                tables.add(cur);
            } else if (l.equals("COMMIT")) {
                cur = null;
            } else if (cur != null && l.startsWith(":")) {
                int sp = l.indexOf(' ');
                cur.chains.add(sp < 0 ? l.substring(1) : l.substring(1, sp));
            } else if (cur != null) {
                cur.lines.add(l);
            }
        }
        return tables;
    }

    private static Map<String, List<String>> rulesByChain(Table t) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String l : t.lines) if (l.startsWith("-A ")) m.computeIfAbsent(word(l), k -> new ArrayList<>()).add(l);
        return m;
    }

    private static String word(String rule) {
        int e = rule.indexOf(' ', 3);
        return e < 0 ? rule.substring(3) : rule.substring(3, e);
    }
}
