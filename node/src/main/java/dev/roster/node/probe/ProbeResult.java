package dev.roster.node.probe;

/** One probe attempt: success or not, and what to say about it (the failure reason or the command's output). */
public record ProbeResult(boolean success, String output) {
    public static ProbeResult ok(String output) { return new ProbeResult(true, output); }

    public static ProbeResult failed(String output) { return new ProbeResult(false, output); }
}
