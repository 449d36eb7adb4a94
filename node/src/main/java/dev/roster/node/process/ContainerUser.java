package dev.roster.node.process;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who a container's processes (its command, exec probes and preStop hooks) run as. When roster runs as root a
 * container never gets the host's root unless it asks ({@code runAsUser: 0}) and {@code roster up
 * --allow-root-pods} allows it: otherwise it runs as its runAsUser/runAsGroup (container securityContext over the
 * pod's), by default {@code nobody}/{@code nogroup} (65534), through util-linux's {@code setpriv} with no new
 * privileges and CAP_NET_BIND_SERVICE as its only capability (so ports below 1024 still bind). When roster does not
 * run as root, processes run as the invoking user, and a pod asking for another uid or gid is refused.
 */
public final class ContainerUser {
    /** {@code nobody} and {@code nogroup} on Debian. */
    public static final long NOBODY = 65534;

    /**
     * The user roster runs as and what it may do.
     *
     * @param setpriv the setpriv executable, null when not installed
     */
    public record Host(long uid, long gid, boolean allowRootPods, String setpriv) {
        boolean root() { return uid == 0; }

        /** This process's effective uid and gid (the owner of {@code /proc/self}). */
        static Host current(boolean allowRootPods) {
            try {
                Path self = Path.of("/proc/self");
                long uid = ((Number) Files.getAttribute(self, "unix:uid")).longValue();
                long gid = ((Number) Files.getAttribute(self, "unix:gid")).longValue();
                return new Host(uid, gid, allowRootPods, onPath("setpriv"));
            } catch (IOException | UnsupportedOperationException e) {
                throw new IllegalStateException("cannot tell which user roster runs as: " + e, e);
            }
        }

        private static String onPath(String command) {
            String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return Path.of(dir, command).toString();
            }
            return null;
        }
    }

    /** What {@link #decide} says. */
    public sealed interface Decision permits Run, Refused {}

    /**
     * Run as this uid and gid with these supplementary groups. {@code switchUser}: wrap commands in setpriv (roster is
     * root); {@code capabilities}: the only capabilities the processes keep, lower-case without "cap_"
     * (net_bind_service unless the container dropped it), with no new privileges; null keeps root's (an allowed root
     * or privileged container).
     */
    public record Run(long uid, long gid, List<Long> groups, Long fsGroup, boolean switchUser, List<String> capabilities)
            implements Decision {
        /** The command line that starts {@code command} as this user. */
        public List<String> wrap(List<String> command, String setpriv) {
            if (!switchUser) return command;
            List<String> out = new ArrayList<>(List.of(setpriv, "--reuid=" + uid, "--regid=" + gid));
            out.add(groups.isEmpty() ? "--clear-groups"
                    : "--groups=" + groups.stream().map(String::valueOf).collect(Collectors.joining(",")));
            if (capabilities != null) {
                String plus = capabilities.stream().map(c -> ",+" + c).collect(Collectors.joining());
                out.add("--no-new-privs");
                out.add("--inh-caps=-all" + plus);
                if (!capabilities.isEmpty()) out.add("--ambient-caps=" + plus.substring(1));
                out.add("--bounding-set=-all" + plus);
            }
            out.add("--");
            out.addAll(command);
            return out;
        }
    }

    /** The container must not start: {@code message} says why (its waiting message and Warning event). */
    public record Refused(String message) implements Decision {}

    private ContainerUser() {}

    /**
     * Makes the pod's working directory (created by roster) usable by the container's user: owned by it, group
     * fsGroup (setgid, group-writable) when the pod sets one; once containers of different users share it, it is
     * world-writable with the sticky bit, as /tmp. The logs directory (written by roster from the process's pipes)
     * is roster's alone.
     */
    static void prepare(Path dir, Path logs, Host host, Run run) throws IOException {
        if (!run.switchUser()) return;
        Files.setAttribute(logs, "unix:mode", 0700);
        long owner = ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
        if (owner == run.uid()) return;
        if (owner == host.uid()) {
            Files.setAttribute(dir, "unix:uid", (int) run.uid());
            Files.setAttribute(dir, "unix:gid", (int) (run.fsGroup() != null ? run.fsGroup() : run.gid()));
            Files.setAttribute(dir, "unix:mode", run.fsGroup() != null ? 02775 : 0755);
        } else {
            Files.setAttribute(dir, "unix:mode", 01777);
        }
    }

    public static Decision decide(Host host, Pod pod, Container c) {
        PodSecurityContext p = pod.getSpec().getSecurityContext();
        SecurityContext s = c.getSecurityContext();
        Long uid = s != null && s.getRunAsUser() != null ? s.getRunAsUser() : p == null ? null : p.getRunAsUser();
        Long gid = s != null && s.getRunAsGroup() != null ? s.getRunAsGroup() : p == null ? null : p.getRunAsGroup();
        Boolean nonRoot = s != null && s.getRunAsNonRoot() != null ? s.getRunAsNonRoot() : p == null ? null : p.getRunAsNonRoot();
        String which = " (pod: \"" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
                + pod.getMetadata().getUid() + ")\", container: " + c.getName() + ")";
        if (Boolean.TRUE.equals(nonRoot) && uid != null && uid == 0) {
            return new Refused("container's runAsUser breaks non-root policy" + which);
        }
        boolean privileged = s != null && Boolean.TRUE.equals(s.getPrivileged());
        List<String> added = capabilityNames(s == null || s.getCapabilities() == null ? null : s.getCapabilities().getAdd());
        List<String> dropped = capabilityNames(s == null || s.getCapabilities() == null ? null : s.getCapabilities().getDrop());
        List<String> extra = added.stream().filter(a -> !a.equals("net_bind_service")).toList();
        if (!host.root()) {
            if (privileged || !extra.isEmpty()) {
                return new Refused("roster runs as uid " + host.uid() + " and cannot give a container "
                        + (privileged ? "privileges (privileged: true)" : "capabilities (" + upper(extra) + ")")
                        + "; only roster started as root with --allow-root-pods does" + which);
            }
            if (uid != null && uid != host.uid()) {
                return new Refused("roster runs as uid " + host.uid() + " and cannot run a container as uid " + uid
                        + " (runAsUser); only roster started as root runs containers as other users" + which);
            }
            if (gid != null && gid != host.gid()) {
                return new Refused("roster runs as gid " + host.gid() + " and cannot run a container as gid " + gid
                        + " (runAsGroup); only roster started as root runs containers as other groups" + which);
            }
            return new Run(host.uid(), host.gid(), List.of(), null, false, null);
        }
        if (uid != null && uid == 0 && !host.allowRootPods()) {
            return new Refused("container asks to run as root (runAsUser: 0), which this node allows only when roster "
                    + "was started with --allow-root-pods" + which);
        }
        if (privileged && !host.allowRootPods()) {
            return new Refused("container asks to run privileged (privileged: true), which this node allows only when "
                    + "roster was started with --allow-root-pods" + which);
        }
        if (!extra.isEmpty() && !host.allowRootPods()) {
            return new Refused("container asks for capabilities " + upper(extra) + ", which this node allows only when roster "
                    + "was started with --allow-root-pods" + which);
        }
        Long fsGroup = p == null ? null : p.getFsGroup();
        Set<Long> groups = new LinkedHashSet<>();
        if (p != null && p.getSupplementalGroups() != null) groups.addAll(p.getSupplementalGroups());
        if (fsGroup != null) groups.add(fsGroup);
        boolean root = uid != null && uid == 0;
        long runUid = uid == null ? NOBODY : uid;
        long runGid = gid != null ? gid : root ? 0 : NOBODY;
        boolean switchUser = !root || runGid != 0 || !groups.isEmpty();
        if (switchUser && host.setpriv() == null) {
            return new Refused("setpriv (util-linux) is not installed: roster cannot run the container as uid " + runUid + which);
        }
        return new Run(runUid, runGid, List.copyOf(groups), fsGroup, switchUser,
                root || privileged ? null : capabilities(added, dropped));
    }

    /**
     * What a non-root container keeps: net_bind_service, less what it drops ("ALL" drops everything), plus what it
     * adds (already allowed), as the CRI runtimes apply add and drop.
     */
    private static List<String> capabilities(List<String> added, List<String> dropped) {
        Set<String> caps = new java.util.TreeSet<>();
        if (!dropped.contains("all") && !dropped.contains("net_bind_service")) caps.add("net_bind_service");
        caps.addAll(added);
        if (caps.contains("all")) return null;
        return List.copyOf(caps);
    }

    /** "NET_ADMIN" and "CAP_NET_ADMIN" as setpriv spells them: "net_admin". */
    private static List<String> capabilityNames(List<String> names) {
        if (names == null) return List.of();
        return names.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT))
                .map(n -> n.startsWith("cap_") ? n.substring(4) : n).distinct().toList();
    }

    private static String upper(List<String> caps) {
        return caps.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
    }
}
