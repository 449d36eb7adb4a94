package dev.roster.proxy.live;

import dev.roster.runtime.net.Exec;
import dev.roster.runtime.net.ExecResult;
import dev.roster.runtime.net.CommandFailedException;
import java.util.List;

/**
 * Writes nftables rules the way kube-proxy's nftables mode does: each sync is one {@code nft -f -}
 * transaction (all or nothing) on the {@code kube-proxy} table; cleanup deletes that table in both families.
 */
public final class NftablesApplier {
    public static final String TABLE = "kube-proxy";

    private final Exec exec;

    public NftablesApplier(Exec exec) {
        this.exec = exec;
    }

    /** Runs one transaction; nft checks the whole input before changing anything. */
    public void apply(String transaction) {
        List<String> argv = List.of("nft", "-f", "-");
        ExecResult r = exec.run(argv, transaction);
        if (!r.ok()) throw new CommandFailedException(argv, r);
    }

    public String listRuleset() {
        List<String> argv = List.of("nft", "list", "ruleset");
        ExecResult r = exec.run(argv);
        if (!r.ok()) throw new CommandFailedException(argv, r);
        return r.stdout();
    }

    /** {@code nft list table FAMILY kube-proxy}, or "" when the table does not exist. */
    public String listTable(String family) {
        List<String> argv = List.of("nft", "list", "table", family, TABLE);
        ExecResult r = exec.run(argv);
        return r.ok() ? r.stdout() : "";
    }

    /**
     * Deletes the table in the ip and ip6 families. Adding it first makes the delete succeed whether or not it
     * existed (nft 1.0.6 has no {@code destroy}), and both steps are one transaction.
     */
    public void cleanup() {
        apply("add table ip " + TABLE + "\ndelete table ip " + TABLE + "\n");
        try {
            apply("add table ip6 " + TABLE + "\ndelete table ip6 " + TABLE + "\n");
        } catch (CommandFailedException e) {
            // a kernel without IPv6 has no ip6 family: nothing of ours can be there
        }
    }
}
