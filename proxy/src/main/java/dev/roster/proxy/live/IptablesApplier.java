package dev.roster.proxy.live;

import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.Exec;
import dev.roster.runtime.net.ExecResult;
import dev.roster.runtime.net.CommandFailedException;
import dev.roster.proxy.iptables.JumpRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes iptables rules the way kube-proxy does: one {@code iptables-restore --noflush --counters} per sync
 * (declared chains are replaced whole, others left alone), jump rules from the built-in chains checked with
 * {@code -C} and inserted with {@code -I}, and the tables read back with {@code iptables-save}. Every command
 * runs through the given {@link Exec}, in practice a {@link NetNs}.
 */
public final class IptablesApplier {
    /** Upstream waits up to 5 s for the xtables lock, polling every 100 ms; iptables 1.8 accepts and ignores the poll interval. */
    static final List<String> WAIT = List.of("-w", "5", "-W", "100000");
    /** Chains kube-proxy owns by name prefix (per-service chains). */
    static final List<String> SERVICE_CHAIN_PREFIXES = List.of("KUBE-SVC-", "KUBE-SVL-", "KUBE-SEP-", "KUBE-FW-", "KUBE-EXT-");
    static final List<String> NAT_CHAINS = List.of("KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ", "KUBE-PROXY-CANARY");
    static final List<String> FILTER_CHAINS = List.of("KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS",
            "KUBE-PROXY-FIREWALL", "KUBE-PROXY-CANARY", "KUBE-FIREWALL");

    static final List<String> RESTORE;

    static {
        List<String> argv = new ArrayList<>(List.of("iptables-restore"));
        argv.addAll(WAIT);
        argv.addAll(List.of("--noflush", "--counters"));
        RESTORE = List.copyOf(argv);
    }

    private final Exec exec;
    private final boolean useStandby;
    private StandbyRestore standby;
    private boolean standbyChecked;

    /** An applier that starts one iptables-restore per restore. */
    public IptablesApplier(Exec exec) {
        this(exec, false);
    }

    /**
     * @param useStandby keep the next iptables-restore started ahead of time where that works ({@link StandbyRestore});
     *                   the live proxy does, one-off commands need not
     */
    public IptablesApplier(Exec exec, boolean useStandby) {
        this.exec = exec;
        this.useStandby = useStandby;
    }

    /** Applies restore input (both tables, each ending in COMMIT) atomically; throws with iptables' own message on failure. */
    public void restore(String text) {
        StandbyRestore s = endsWithCommit(text) ? standby() : null;
        ExecResult r = s != null ? s.apply(text) : exec.run(RESTORE, text);
        if (!r.ok()) throw new CommandFailedException(RESTORE, r);
    }

    /** Whether the input's last word is COMMIT, without copying a full sync's megabytes to find out. */
    private static boolean endsWithCommit(String text) {
        int end = text.length();
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) end--;
        return text.regionMatches(end - 6, "COMMIT", 0, 6);
    }

    private synchronized StandbyRestore standby() {
        if (!standbyChecked) {
            standbyChecked = true;
            if (useStandby && exec instanceof NetNs ns) standby = StandbyRestore.forNamespace(ns, RESTORE);
        }
        return standby;
    }

    /** Whether restores go through a process started ahead of time (known after the first restore). */
    public synchronized boolean usesStandby() {
        return standby != null;
    }

    /** For tests: the standby in use, or null. */
    synchronized StandbyRestore standbyForTest() {
        return standby;
    }

    /** Lets a process kept waiting for the next restore go. */
    public synchronized void close() {
        if (standby != null) standby.close();
        standby = null;
    }

    /** {@code iptables-save -t TABLE}. */
    public String save(String table) {
        List<String> argv = List.of("iptables-save", "-t", table);
        ExecResult r = exec.run(argv);
        if (!r.ok()) throw new CommandFailedException(argv, r);
        return r.stdout();
    }

    /** {@code iptables-save} of every table. */
    public String saveAll() {
        List<String> argv = List.of("iptables-save");
        ExecResult r = exec.run(argv);
        if (!r.ok()) throw new CommandFailedException(argv, r);
        return r.stdout();
    }

    /** The chain names declared in one table's save output (the {@code :NAME POLICY [p:b]} lines). */
    public static Set<String> chainsIn(String saveOutput) {
        Set<String> chains = new LinkedHashSet<>();
        for (String line : saveOutput.split("\n")) {
            if (line.startsWith(":")) {
                int sp = line.indexOf(' ');
                chains.add(sp < 0 ? line.substring(1) : line.substring(1, sp));
            }
        }
        return chains;
    }

    public static boolean isServiceChain(String chain) {
        for (String p : SERVICE_CHAIN_PREFIXES) if (chain.startsWith(p)) return true;
        return false;
    }

    /** The jump rules a full sync ensures: all of upstream's, the KUBE-FIREWALL ones only with localhost NodePorts (IPv4). */
    public static List<JumpRule> jumpRules(boolean localhostNodePorts) {
        List<JumpRule> out = new ArrayList<>();
        for (JumpRule j : JumpRule.ALL) if (localhostNodePorts || !j.dstChain().equals("KUBE-FIREWALL")) out.add(j);
        return out;
    }

    /**
     * Makes sure every jump rule exists: its target chain is created if missing and the rule inserted at the top
     * of its built-in chain if {@code iptables -C} does not find it. Runs on full syncs only, as upstream does.
     */
    public void ensureJumpRules(List<JumpRule> rules) {
        for (JumpRule j : rules) {
            ensureChain(j.table(), j.dstChain());
            List<String> check = iptables("-C", j.srcChain(), "-t", j.table(), j.args());
            ExecResult r = exec.run(check);
            if (r.ok()) continue;
            // exit 1 means "no such rule"; anything else is a real failure
            if (r.exitCode() != 1) throw new CommandFailedException(check, r);
            List<String> insert = iptables("-I", j.srcChain(), "-t", j.table(), j.args());
            ExecResult ins = exec.run(insert);
            if (!ins.ok()) throw new CommandFailedException(insert, ins);
        }
    }

    /** {@code iptables -N}; exit status 1 means the chain exists already, which is fine. */
    public void ensureChain(String table, String chain) {
        List<String> argv = iptables("-N", chain, "-t", table, List.of());
        ExecResult r = exec.run(argv);
        if (!r.ok() && r.exitCode() != 1) throw new CommandFailedException(argv, r);
    }

    /**
     * Removes everything the proxy wrote: the jump rules, then every fixed and per-service chain in nat and
     * filter (declared, so flushed, then deleted with {@code -X} in one restore per table), then the canary in
     * mangle. Chains that are not there are skipped, so it is safe to run twice.
     */
    public void cleanup() {
        // upstream leaves the kubelet's KUBE-FIREWALL jumps behind (the kubelet owns them); in a namespace
        // roster was given nothing else does, so they go too
        for (JumpRule j : JumpRule.ALL) {
            List<String> del = iptables("-D", j.srcChain(), "-t", j.table(), j.args());
            ExecResult r = exec.run(del);
            if (!r.ok() && !notFound(r)) throw new CommandFailedException(del, r);
        }
        removeChains("nat", NAT_CHAINS);
        removeChains("filter", FILTER_CHAINS);
        Set<String> mangle = chainsIn(save("mangle"));
        if (mangle.contains("KUBE-PROXY-CANARY")) removeChains("mangle", List.of("KUBE-PROXY-CANARY"));
    }

    private void removeChains(String table, List<String> fixed) {
        Set<String> existing = chainsIn(save(table));
        List<String> doomed = new ArrayList<>();
        for (String c : fixed) if (existing.contains(c)) doomed.add(c);
        for (String c : existing) if (isServiceChain(c)) doomed.add(c);
        if (doomed.isEmpty()) return;
        StringBuilder sb = new StringBuilder("*").append(table).append('\n');
        for (String c : doomed) sb.append(':').append(c).append(" - [0:0]\n");
        for (String c : doomed) sb.append("-X ").append(c).append('\n');
        sb.append("COMMIT\n");
        restore(sb.toString());
    }

    /** A rule or chain that is not there: the normal case when cleaning up what was never installed. */
    static boolean notFound(ExecResult r) {
        if (r.exitCode() == 1) return true;
        String e = r.stderr();
        return e.contains("does not exist") || e.contains("No chain/target/match by that name") || e.contains("does a matching rule exist");
    }

    private static List<String> iptables(String op, String chain, String t, String table, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("iptables"));
        argv.addAll(WAIT);
        argv.addAll(List.of(op, chain, t, table));
        argv.addAll(args);
        return argv;
    }
}
