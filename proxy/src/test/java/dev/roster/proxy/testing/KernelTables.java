package dev.roster.proxy.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code iptables-restore --noflush} leaves in the kernel: a declared chain is flushed and gets
 * the restore's rules, {@code -X} removes it, undeclared chains keep their rules. Lets tests check that
 * a full sync followed by partial syncs ends where one fresh full sync would.
 */
public final class KernelTables {
    private final Map<String, Map<String, List<String>>> tables = new TreeMap<>();

    public void apply(String restoreText) {
        RestoreText parsed = RestoreText.parse(restoreText);
        parsed.tables.forEach((table, chains) -> {
            Map<String, List<String>> t = tables.computeIfAbsent(table, k -> new TreeMap<>());
            chains.forEach((name, chain) -> {
                if (chain.deleted) t.remove(name);
                else t.put(name, new ArrayList<>(chain.rules));
            });
        });
    }

    public java.util.Set<String> chains(String table) {
        return tables.getOrDefault(table, Map.of()).keySet();
    }

    /** Every chain with its rules, chains sorted, rules in order. */
    public String dump() {
        StringBuilder sb = new StringBuilder();
        tables.forEach((table, chains) -> {
            sb.append('*').append(table).append('\n');
            chains.forEach((name, rules) -> {
                sb.append(':').append(name).append('\n');
                for (String r : rules) sb.append(r).append('\n');
            });
        });
        return sb.toString();
    }
}
