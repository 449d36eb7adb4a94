package dev.roster.node.probe;

/** The three probes a container can have, with the name upstream's events use ("Readiness probe failed: …"). */
public enum ProbeKind {
    STARTUP("Startup"), READINESS("Readiness"), LIVENESS("Liveness");

    private final String title;

    ProbeKind(String title) { this.title = title; }

    public String title() { return title; }
}
