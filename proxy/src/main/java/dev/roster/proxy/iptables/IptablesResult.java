package dev.roster.proxy.iptables;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One render of the iptables rules. The restore input is kept as the parts it was built in:
 * {@link #writeTo} streams them to {@code iptables-restore} without joining them first; {@link #text()}
 * joins them once, on first use.
 */
public final class IptablesResult {
    private final CharSequence[] parts;
    private String text;
    private final boolean fullSync;
    private final List<String> writtenNatChains, deletedNatChains;
    private final int filterRules, natRulesTotal, natRulesLastSync, noLocalEndpointsInternal, noLocalEndpointsExternal,
            totalEndpoints;
    private final boolean largeClusterMode;

    IptablesResult(CharSequence[] parts, boolean fullSync, List<String> writtenNatChains, List<String> deletedNatChains,
                   int filterRules, int natRulesTotal, int natRulesLastSync, boolean largeClusterMode,
                   int noLocalEndpointsInternal, int noLocalEndpointsExternal, int totalEndpoints) {
        this.parts = parts;
        this.fullSync = fullSync;
        this.writtenNatChains = writtenNatChains;
        this.deletedNatChains = deletedNatChains;
        this.filterRules = filterRules;
        this.natRulesTotal = natRulesTotal;
        this.natRulesLastSync = natRulesLastSync;
        this.largeClusterMode = largeClusterMode;
        this.noLocalEndpointsInternal = noLocalEndpointsInternal;
        this.noLocalEndpointsExternal = noLocalEndpointsExternal;
        this.totalEndpoints = totalEndpoints;
    }

    /** The complete {@code iptables-restore --noflush} input (filter and nat tables). */
    public synchronized String text() {
        if (text == null) {
            int size = 0;
            for (CharSequence p : parts) size += p.length();
            StringBuilder sb = new StringBuilder(size);
            for (CharSequence p : parts) sb.append(p);
            text = sb.toString();
        }
        return text;
    }

    /** Writes the restore input (ASCII: names, addresses and comments are ASCII) without building one string. */
    public void writeTo(OutputStream out) throws IOException {
        if (text != null) {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        byte[] buf = new byte[64 * 1024];
        char[] chars = new char[buf.length];
        for (CharSequence p : parts) {
            String s = p instanceof String str ? str : null;
            for (int i = 0; i < p.length(); ) {
                int n = Math.min(buf.length, p.length() - i);
                if (s != null) s.getChars(i, i + n, chars, 0);
                else ((StringBuilder) p).getChars(i, i + n, chars, 0);
                for (int j = 0; j < n; j++) buf[j] = (byte) chars[j];
                out.write(buf, 0, n);
                i += n;
            }
        }
    }

    /** Every service's chains were written. */
    public boolean fullSync() { return fullSync; }

    /** Per-service nat chains declared (and so rewritten) by this input. */
    public List<String> writtenNatChains() { return writtenNatChains; }

    /** Stale per-service chains this input deletes ({@code -X}). */
    public List<String> deletedNatChains() { return deletedNatChains; }

    /** Filter rules written: upstream's {@code sync_proxy_rules_iptables_total{table="filter"}}. */
    public int filterRules() { return filterRules; }

    /** Nat rules after applying (written + unchanged services' - deletions): {@code sync_proxy_rules_iptables_total{table="nat"}}. */
    public int natRulesTotal() { return natRulesTotal; }

    /** Nat rules written minus deletions: {@code sync_proxy_rules_iptables_last{table="nat"}}. */
    public int natRulesLastSync() { return natRulesLastSync; }

    /** More than 1000 endpoints: per-endpoint comments were left out. */
    public boolean largeClusterMode() { return largeClusterMode; }

    /** Services with internalTrafficPolicy Local and no local endpoint. */
    public int noLocalEndpointsInternal() { return noLocalEndpointsInternal; }

    /** Services with externalTrafficPolicy Local and no local endpoint. */
    public int noLocalEndpointsExternal() { return noLocalEndpointsExternal; }

    /** Endpoints of all known service ports. */
    public int totalEndpoints() { return totalEndpoints; }
}
