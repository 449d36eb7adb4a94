package dev.roster.dns.zone;

import java.util.Locale;

/**
 * One port of a Service or an EndpointSlice as DNS sees it: its name (empty when unnamed), number and protocol, both
 * lower-cased. {@link #NONE} stands in when a slice declares no ports, as CoreDNS's sentinel port -1 does: the
 * addresses still answer A/AAAA queries, but give no SRV record.
 */
record PortInfo(String name, int port, String protocol) {
    static final PortInfo NONE = new PortInfo("", -1, "");

    static PortInfo of(String name, Integer port, String protocol) {
        return new PortInfo(name == null ? "" : name.toLowerCase(Locale.ROOT), port == null ? -1 : port,
                (protocol == null ? "TCP" : protocol).toLowerCase(Locale.ROOT));
    }

    boolean named() {
        return !name.isEmpty();
    }

    /** The SRV name's first two labels: {@code _http._tcp}. */
    String srvPrefix() {
        return "_" + name + "._" + protocol;
    }
}
