package dev.roster.runtime.net;

/** What one command printed and how it ended. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }
}
