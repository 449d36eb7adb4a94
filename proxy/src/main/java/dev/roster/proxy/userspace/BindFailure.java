package dev.roster.proxy.userspace;

import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a failed bind into a message a user can act on. Ports below the unprivileged-port
 * threshold (1024 by default) need root or CAP_NET_BIND_SERVICE: the message names the three fixes.
 */
final class BindFailure {
    static final String REASON = "FailedToBindPort";

    private BindFailure() {}

    static String message(ListenerKey where, Exception e) {
        String cause = e.getMessage() == null ? e.toString() : e.getMessage();
        String head = "roster proxy cannot listen on " + where + ": ";
        if (isPermission(e) && where.port() < 1024) {
            return head + "ports below " + unprivilegedPortStart() + " need root or CAP_NET_BIND_SERVICE. "
                    + "Fix: run roster as root, or `sudo setcap cap_net_bind_service=+ep " + javaBinary() + "`, "
                    + "or `sudo sysctl net.ipv4.ip_unprivileged_port_start=" + where.port() + "`";
        }
        if (cause.contains("in use by service")) {
            return head + "address already " + cause.substring(cause.indexOf("in use by service"));
        }
        if (cause.contains("Address already in use")) {
            return head + "address already in use (another process, or another roster, listens there)";
        }
        if (cause.contains("Cannot assign requested address")) {
            return head + "the address is not on this machine (" + cause + ")";
        }
        return head + cause;
    }

    static boolean isPermission(Exception e) {
        return e instanceof BindException && e.getMessage() != null && e.getMessage().contains("Permission denied");
    }

    private static String unprivilegedPortStart() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).strip();
        } catch (Exception e) {
            return "1024";
        }
    }

    /** The real java binary (setcap needs the file itself, not a symlink). */
    static String javaBinary() {
        String cmd = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        try {
            return Path.of(cmd).toRealPath().toString();
        } catch (Exception e) {
            return cmd;
        }
    }
}
