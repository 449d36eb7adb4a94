package dev.roster.proxy.model;

/** L4 protocols a Service port can use; {@link #lower()} is how iptables and nftables spell them. */
public enum Protocol {
    TCP("tcp"), UDP("udp"), SCTP("sctp");

    private final String lower;

    Protocol(String lower) {
        this.lower = lower;
    }

    public String lower() {
        return lower;
    }

    /** The API value ({@code TCP}, {@code UDP}, {@code SCTP}); a missing value means TCP, as the API server defaults it. */
    public static Protocol parse(String api) {
        if (api == null || api.isEmpty()) return TCP;
        return switch (api) {
            case "TCP" -> TCP;
            case "UDP" -> UDP;
            case "SCTP" -> SCTP;
            default -> throw new IllegalArgumentException("unsupported protocol " + api);
        };
    }
}
