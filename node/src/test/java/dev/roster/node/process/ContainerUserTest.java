package dev.roster.node.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decision table: who roster is × --allow-root-pods × pod and container securityContext → run as, or refuse. */
class ContainerUserTest {
    private static final String SETPRIV = "/usr/bin/setpriv";
    private static final ContainerUser.Host ROOT = new ContainerUser.Host(0, 0, false, SETPRIV);
    private static final ContainerUser.Host ROOT_ALLOW = new ContainerUser.Host(0, 0, true, SETPRIV);
    private static final ContainerUser.Host ROOT_NO_SETPRIV = new ContainerUser.Host(0, 0, false, null);
    private static final ContainerUser.Host USER = new ContainerUser.Host(1000, 1000, true, SETPRIV);
    private static final String WHICH = " (pod: \"p_default(u-1)\", container: c)";

    static PodSecurityContext pod(Long uid, Long gid, Boolean nonRoot) {
        return new PodSecurityContextBuilder().withRunAsUser(uid).withRunAsGroup(gid).withRunAsNonRoot(nonRoot).build();
    }

    static SecurityContext ctr(Long uid, Long gid, Boolean nonRoot) {
        return new SecurityContextBuilder().withRunAsUser(uid).withRunAsGroup(gid).withRunAsNonRoot(nonRoot).build();
    }

    static ContainerUser.Run run(long uid, long gid, List<Long> groups, Long fsGroup, boolean switchUser, boolean onlyBind) {
        return new ContainerUser.Run(uid, gid, groups, fsGroup, switchUser, onlyBind ? List.of("net_bind_service") : null);
    }

    static SecurityContext caps(Boolean privileged, List<String> add, List<String> drop) {
        return new SecurityContextBuilder().withPrivileged(privileged).withNewCapabilities().withAdd(add).withDrop(drop)
                .endCapabilities().build();
    }

    static ContainerUser.Run nobodyWith(String... caps) {
        return new ContainerUser.Run(65534, 65534, List.of(), null, true, List.of(caps));
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // roster as root: nobody by default, whatever --allow-root-pods says
                Arguments.of("root, nothing asked", ROOT, null, null, run(65534, 65534, List.of(), null, true, true)),
                Arguments.of("root+allow, nothing asked", ROOT_ALLOW, null, null, run(65534, 65534, List.of(), null, true, true)),
                Arguments.of("root, pod runAsUser", ROOT, pod(1000L, null, null), null, run(1000, 65534, List.of(), null, true, true)),
                Arguments.of("root, container overrides pod", ROOT, pod(1000L, 2000L, null), ctr(1001L, 2001L, null),
                        run(1001, 2001, List.of(), null, true, true)),
                Arguments.of("root, container group only", ROOT, pod(1000L, 2000L, null), ctr(null, 3000L, null),
                        run(1000, 3000, List.of(), null, true, true)),
                Arguments.of("root, runAsNonRoot without uid", ROOT, pod(null, null, true), null,
                        run(65534, 65534, List.of(), null, true, true)),
                Arguments.of("root, runAsUser 0 refused", ROOT, null, ctr(0L, null, null),
                        "container asks to run as root (runAsUser: 0), which this node allows only when roster was started with --allow-root-pods" + WHICH),
                Arguments.of("root, pod runAsUser 0 refused", ROOT, pod(0L, null, null), null,
                        "container asks to run as root (runAsUser: 0), which this node allows only when roster was started with --allow-root-pods" + WHICH),
                Arguments.of("root+allow, runAsUser 0 runs as root", ROOT_ALLOW, null, ctr(0L, null, null),
                        run(0, 0, List.of(), null, false, false)),
                Arguments.of("root+allow, root with a group", ROOT_ALLOW, null, ctr(0L, 5L, null), run(0, 5, List.of(), null, true, false)),
                Arguments.of("root+allow, container overrides pod root", ROOT_ALLOW, pod(0L, null, null), ctr(1000L, null, null),
                        run(1000, 65534, List.of(), null, true, true)),
                Arguments.of("root+allow, container 0 over pod 1000", ROOT_ALLOW, pod(1000L, null, null), ctr(0L, null, null),
                        run(0, 0, List.of(), null, false, false)),
                Arguments.of("runAsNonRoot with runAsUser 0", ROOT_ALLOW, pod(null, null, true), ctr(0L, null, null),
                        "container's runAsUser breaks non-root policy" + WHICH),
                Arguments.of("container runAsNonRoot over pod", ROOT_ALLOW, pod(0L, null, false), ctr(null, null, true),
                        "container's runAsUser breaks non-root policy" + WHICH),
                Arguments.of("container runAsNonRoot false over pod", ROOT_ALLOW, pod(0L, null, true), ctr(null, null, false),
                        run(0, 0, List.of(), null, false, false)),
                Arguments.of("root without setpriv", ROOT_NO_SETPRIV, null, null,
                        "setpriv (util-linux) is not installed: roster cannot run the container as uid 65534" + WHICH),
                // roster as a user: as that user, or refused
                Arguments.of("user, nothing asked", USER, null, null, run(1000, 1000, List.of(), null, false, false)),
                Arguments.of("user, its own uid and gid", USER, pod(1000L, 1000L, true), null, run(1000, 1000, List.of(), null, false, false)),
                Arguments.of("user, runAsUser 0", USER, null, ctr(0L, null, null),
                        "roster runs as uid 1000 and cannot run a container as uid 0 (runAsUser); only roster started as root runs containers as other users" + WHICH),
                Arguments.of("user, another uid", USER, pod(2000L, null, null), null,
                        "roster runs as uid 1000 and cannot run a container as uid 2000 (runAsUser); only roster started as root runs containers as other users" + WHICH),
                Arguments.of("user, another gid", USER, null, ctr(null, 0L, null),
                        "roster runs as gid 1000 and cannot run a container as gid 0 (runAsGroup); only roster started as root runs containers as other groups" + WHICH),
                // privileges and capabilities: beyond binding low ports, only with --allow-root-pods
                Arguments.of("root, privileged refused", ROOT, null, caps(true, null, null),
                        "container asks to run privileged (privileged: true), which this node allows only when roster was started with --allow-root-pods" + WHICH),
                Arguments.of("root+allow, privileged keeps root's capabilities", ROOT_ALLOW, null, caps(true, null, null),
                        run(65534, 65534, List.of(), null, true, false)),
                Arguments.of("root, NET_ADMIN refused", ROOT, null, caps(null, List.of("NET_ADMIN", "CAP_SYS_TIME"), null),
                        "container asks for capabilities NET_ADMIN, SYS_TIME, which this node allows only when roster was started with --allow-root-pods" + WHICH),
                Arguments.of("root, adding NET_BIND_SERVICE is no privilege", ROOT, null, caps(null, List.of("NET_BIND_SERVICE"), null),
                        nobodyWith("net_bind_service")),
                Arguments.of("root+allow, NET_ADMIN granted", ROOT_ALLOW, null, caps(null, List.of("NET_ADMIN"), null),
                        nobodyWith("net_admin", "net_bind_service")),
                Arguments.of("root, drop ALL", ROOT, null, caps(null, null, List.of("ALL")), nobodyWith()),
                Arguments.of("root, drop ALL then add back", ROOT, null, caps(null, List.of("NET_BIND_SERVICE"), List.of("ALL")),
                        nobodyWith("net_bind_service")),
                Arguments.of("root+allow, add ALL", ROOT_ALLOW, null, caps(null, List.of("ALL"), null),
                        run(65534, 65534, List.of(), null, true, false)),
                Arguments.of("user, NET_ADMIN refused", USER, null, caps(null, List.of("NET_ADMIN"), null),
                        "roster runs as uid 1000 and cannot give a container capabilities (NET_ADMIN); only roster started as root with --allow-root-pods does" + WHICH),
                Arguments.of("user, privileged refused", USER, null, caps(true, null, null),
                        "roster runs as uid 1000 and cannot give a container privileges (privileged: true); only roster started as root with --allow-root-pods does" + WHICH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, ContainerUser.Host host, PodSecurityContext podCtx, SecurityContext ctrCtx, Object expected) {
        ContainerUser.Decision d = ContainerUser.decide(host, pod(podCtx), container(ctrCtx));
        if (expected instanceof String message) {
            assertThat(d).isEqualTo(new ContainerUser.Refused(message));
        } else {
            assertThat(d).isEqualTo(expected);
        }
    }

    @Test
    void supplementalGroupsAndFsGroupBecomeGroups() {
        Pod p = pod(new PodSecurityContextBuilder().withRunAsUser(1000L).withSupplementalGroups(10L, 20L).withFsGroup(30L).build());
        assertThat(ContainerUser.decide(ROOT, p, container(null))).isEqualTo(run(1000, 65534, List.of(10L, 20L, 30L), 30L, true, true));
    }

    @Test
    void wrapRunsTheCommandThroughSetprivWithOnlyTheBindCapability() {
        assertThat(run(65534, 65534, List.of(), null, true, true).wrap(List.of("sh", "-c", "id"), SETPRIV)).containsExactly(
                SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups", "--no-new-privs",
                "--inh-caps=-all,+net_bind_service", "--ambient-caps=+net_bind_service", "--bounding-set=-all,+net_bind_service",
                "--", "sh", "-c", "id");
        assertThat(run(0, 5, List.of(7L, 8L), null, true, false).wrap(List.of("id"), SETPRIV))
                .containsExactly(SETPRIV, "--reuid=0", "--regid=5", "--groups=7,8", "--", "id");
        assertThat(run(1000, 1000, List.of(), null, false, false).wrap(List.of("id"), SETPRIV)).containsExactly("id");
        assertThat(nobodyWith("net_admin", "net_bind_service").wrap(List.of("id"), SETPRIV)).containsExactly(
                SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups", "--no-new-privs",
                "--inh-caps=-all,+net_admin,+net_bind_service", "--ambient-caps=+net_admin,+net_bind_service",
                "--bounding-set=-all,+net_admin,+net_bind_service", "--", "id");
        assertThat(nobodyWith().wrap(List.of("id"), SETPRIV)).as("nothing kept: no ambient set").containsExactly(
                SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups", "--no-new-privs", "--inh-caps=-all",
                "--bounding-set=-all", "--", "id");
    }

    @Test
    void theWorkDirBelongsToTheContainerUserAndTheLogsStayRosters(@TempDir Path tmp) throws Exception {
        dev.roster.testing.Requires.root("changing a directory's owner");
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        ContainerUser.prepare(work, logs, ROOT, run(1000, 2000, List.of(), null, true, true));
        assertThat(attrs(work)).containsExactly(1000, 2000, 0755);
        assertThat(attrs(logs)).containsExactly(0, 0, 0700);
        ContainerUser.prepare(work, logs, ROOT, run(1000, 2000, List.of(), null, true, true));
        assertThat(attrs(work)).as("the same user again changes nothing").containsExactly(1000, 2000, 0755);
        ContainerUser.prepare(work, logs, ROOT, run(1001, 2000, List.of(), null, true, true));
        assertThat(attrs(work)).as("a second user shares it as /tmp").containsExactly(1000, 2000, 01777);

        Path shared = Files.createDirectories(tmp.resolve("shared"));
        ContainerUser.prepare(shared, logs, ROOT, run(1000, 2000, List.of(30L), 30L, true, true));
        assertThat(attrs(shared)).as("fsGroup owns it, group-writable").containsExactly(1000, 30, 02775);
    }

    private static List<Integer> attrs(Path p) throws Exception {
        return List.of((Integer) Files.getAttribute(p, "unix:uid"), (Integer) Files.getAttribute(p, "unix:gid"),
                ((Integer) Files.getAttribute(p, "unix:mode")) & 07777);
    }

    private static Pod pod(PodSecurityContext ctx) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u-1").endMetadata()
                .withNewSpec().withSecurityContext(ctx).endSpec().build();
    }

    private static Container container(SecurityContext ctx) {
        return new ContainerBuilder().withName("c").withSecurityContext(ctx).build();
    }
}
