package dev.roster.proxy.nftables;

/**
 * Writes one nftables transaction in the text form {@code nft -f} reads and knftables produces
 * ({@code add rule ip kube-proxy CHAIN ...}, one operation per line). Counts what it writes.
 */
final class Tx {
    private final StringBuilder sb;
    private final String table; // "ip kube-proxy" or "ip6 kube-proxy"
    int operations, rules, chains, elementsAdded, elementsDeleted;

    Tx(String family, int capacity) {
        this.sb = new StringBuilder(Math.max(capacity, 1024));
        this.table = family + " kube-proxy";
    }

    StringBuilder text() {
        return sb;
    }

    int length() {
        return sb.length();
    }

    void addTable(String comment) {
        sb.append("add table ").append(table).append(" { comment \"").append(comment).append("\" ; }\n");
        operations++;
    }

    /** {@code add chain} of a regular chain, with an optional comment. */
    void addChain(String chain, String comment) {
        sb.append("add chain ").append(table).append(' ').append(chain);
        if (comment != null) sb.append(" { comment \"").append(comment).append("\" ; }");
        sb.append('\n');
        operations++;
        chains++;
    }

    void addBaseChain(String chain, String type, String hook, int priority) {
        sb.append("add chain ").append(table).append(' ').append(chain).append(" { type ").append(type)
                .append(" hook ").append(hook).append(" priority ").append(priority).append(" ; }\n");
        operations++;
        chains++;
    }

    void flush(String kind, String name) {
        sb.append("flush ").append(kind).append(' ').append(table).append(' ').append(name).append('\n');
        operations++;
    }

    void delete(String kind, String name) {
        sb.append("delete ").append(kind).append(' ').append(table).append(' ').append(name).append('\n');
        operations++;
    }

    /** Starts {@code add rule TABLE CHAIN }; finish with {@link #end()} or {@link #end(String)}. */
    StringBuilder rule(String chain) {
        rules++;
        operations++;
        return sb.append("add rule ").append(table).append(' ').append(chain).append(' ');
    }

    void end() {
        sb.append('\n');
    }

    /** Ends a rule with a comment. */
    void end(String comment) {
        sb.append(" comment \"").append(comment).append("\"\n");
    }

    /** {@code add set} / {@code add map} with the attributes in knftables' order. */
    void addSet(String kind, String name, String type, String flags, Integer timeoutSeconds, String comment) {
        sb.append("add ").append(kind).append(' ').append(table).append(' ').append(name).append(" { type ").append(type).append(" ;");
        if (flags != null) sb.append(" flags ").append(flags).append(" ;");
        if (timeoutSeconds != null) sb.append(" timeout ").append(timeoutSeconds).append("s ;");
        if (comment != null) sb.append(" comment \"").append(comment).append("\" ;");
        sb.append(" }\n");
        operations++;
    }

    void addElement(String container, String key, String comment, String value) {
        sb.append("add element ").append(table).append(' ').append(container).append(" { ").append(key);
        if (comment != null) sb.append(" comment \"").append(comment).append('"');
        if (value != null) sb.append(" : ").append(value);
        sb.append(" }\n");
        operations++;
        elementsAdded++;
    }

    void deleteElement(String container, String key) {
        sb.append("delete element ").append(table).append(' ').append(container).append(" { ").append(key).append(" }\n");
        operations++;
        elementsDeleted++;
    }
}
