package dev.roster.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CgroupV2Test {
    static final String HYBRID = """
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            42 31 0:39 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu""";
    static final String UNIFIED = """
            22 1 0:21 / / rw - ext4 /dev/vda1 rw
            35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate""";
    static final String V1_ONLY = "42 31 0:39 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu";
    static final String BIND_OF_A_SUBTREE = "35 24 0:30 /kubepods /sys/fs/cgroup rw - cgroup2 cgroup2 rw";
    static final String ESCAPED = "35 24 0:30 / /mnt/my\\040cgroups rw - cgroup2 none rw";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("hybrid layout, root cgroup", HYBRID, "0::/\n4:memory:/x", Optional.of(Path.of("/sys/fs/cgroup/unified"))),
                Arguments.of("unified layout, a session scope", UNIFIED, "0::/user.slice/session-3.scope",
                        Optional.of(Path.of("/sys/fs/cgroup/user.slice/session-3.scope"))),
                Arguments.of("an escaped space in the mount point", ESCAPED, "0::/a", Optional.of(Path.of("/mnt/my cgroups/a"))),
                Arguments.of("no cgroup2 mount", V1_ONLY, "0::/", Optional.empty()),
                Arguments.of("no v2 line in /proc/self/cgroup", HYBRID, "4:memory:/x", Optional.empty()),
                Arguments.of("a cgroup that was removed", UNIFIED, "0::/gone (deleted)", Optional.empty()),
                Arguments.of("a mount of a subtree only", BIND_OF_A_SUBTREE, "0::/kubepods/pod1", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void findsTheDirectoryOfThisProcesssCgroup(String name, String mountinfo, String cgroup, Optional<Path> expected) {
        assertThat(CgroupV2.ownDirectory(mountinfo.lines().toList(), List.of(cgroup.split("\n")))).isEqualTo(expected);
    }
}
