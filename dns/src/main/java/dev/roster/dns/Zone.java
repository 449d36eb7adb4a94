package dev.roster.dns;

import org.xbill.DNS.Name;

/**
 * Names one server answers from memory without asking anyone: the cluster domain and the reverse zones, as
 * CoreDNS's kubernetes plugin does. Implementations are read by many query threads at once and never block.
 */
public interface Zone {
    /** Whether {@code qname} falls under this zone (the cluster domain, {@code in-addr.arpa.}, {@code ip6.arpa.}). */
    boolean covers(Name qname);

    /** The answer to one question under this zone ({@link #covers} is true); {@link Lookup#fallthrough} sends it on. */
    Lookup lookup(Name qname, int type);

    /** Grows on every change of the records, so answers cached by bytes can be dropped when it moves. */
    long generation();
}
