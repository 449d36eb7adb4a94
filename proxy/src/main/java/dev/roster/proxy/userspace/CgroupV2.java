package dev.roster.proxy.userspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where this process sits in the cgroup v2 hierarchy, from /proc (hybrid v1+v2 systems included). */
final class CgroupV2 {
    private CgroupV2() {}

    /** The directory of this process's cgroup v2, e.g. /sys/fs/cgroup/user.slice/…, if v2 is mounted. */
    static Optional<Path> ownDirectory() {
        try {
            return ownDirectory(Files.readAllLines(Path.of("/proc/self/mountinfo")),
                    Files.readAllLines(Path.of("/proc/self/cgroup")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** From the text of /proc/self/mountinfo and /proc/self/cgroup. */
    static Optional<Path> ownDirectory(List<String> mountinfo, List<String> cgroups) {
        Optional<Path> mount = mountPoint(mountinfo);
        if (mount.isEmpty()) return Optional.empty();
        for (String line : cgroups) {
            if (!line.startsWith("0::")) continue;
            String rel = line.substring(3);
            // "(deleted)" or a path outside this mount namespace's view: nothing to attach to
            if (!rel.startsWith("/") || rel.contains(" ")) return Optional.empty();
            return Optional.of(rel.equals("/") ? mount.get() : mount.get().resolve(rel.substring(1)));
        }
        return Optional.empty();
    }

    /** The first cgroup2 mount point: mountinfo's fifth field, where the field after " - " is "cgroup2". */
    static Optional<Path> mountPoint(List<String> mountinfo) {
        for (String line : mountinfo) {
            int dash = line.indexOf(" - ");
            if (dash < 0 || !line.startsWith("cgroup2 ", dash + 3)) continue;
            String[] fields = line.substring(0, dash).split(" ");
            // root of the mount must be "/" for paths from /proc/self/cgroup to resolve under it
            if (fields.length >= 5 && fields[3].equals("/")) return Optional.of(Path.of(unescape(fields[4])));
        }
        return Optional.empty();
    }

    /** mountinfo writes spaces, tabs, newlines and backslashes as three-digit octal escapes. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the backslash
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
