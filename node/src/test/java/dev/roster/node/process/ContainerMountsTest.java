package dev.roster.node.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a container's projected-volume mounts and its pod's resolv.conf become a command line, and what a container
 * without root is told.
 */
class ContainerMountsTest {
    static final Container C = new ContainerBuilder().withName("c")
            .addNewVolumeMount().withName("kube-api-access-x").withMountPath(ContainerMounts.SERVICE_ACCOUNT_PATH).withReadOnly(true).endVolumeMount()
            .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
            .addNewVolumeMount().withName("cfg").withMountPath("/etc/app").withSubPath("../../escape").endVolumeMount()
            .build();
    static final Map<String, Path> VOLUMES = Map.of("kube-api-access-x", Path.of("/d/volumes/kube-api-access-x"),
            "cfg", Path.of("/d/volumes/cfg"));

    @Test
    void onlyVolumesTheRuntimeWroteAreMountedAndSubPathsStayInside() {
        assertThat(ContainerMounts.of(C, VOLUMES)).containsExactly(
                new ContainerMounts.Bind(Path.of("/d/volumes/kube-api-access-x"), ContainerMounts.SERVICE_ACCOUNT_PATH, true));
    }

    @Test
    void theCommandRunsInAPrivateMountNamespaceAfterTheBinds() {
        var binds = ContainerMounts.of(C, VOLUMES);
        assertThat(ContainerMounts.wrap(List.of("setpriv", "--reuid=65534", "--", "app"), binds)).containsExactly(
                "unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", ContainerMounts.SCRIPT, "roster-mounts",
                "/d/volumes/kube-api-access-x", ContainerMounts.SERVICE_ACCOUNT_PATH, "ro", "--", "setpriv", "--reuid=65534", "--", "app");
        assertThat(ContainerMounts.wrap(List.of("app"), List.of())).containsExactly("app");
    }

    @Test
    void thePodsResolvConfIsMountedOverTheHostsFileButNeverOverAMissingOneOrAsADirectory(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("resolv.conf"), "nameserver 10.96.0.10\n");
        Path hostFile = Files.writeString(tmp.resolve("host-resolv.conf"), "nameserver 192.0.2.53\n");
        ContainerMounts.Bind resolv = ContainerMounts.resolvConf(file);
        assertThat(resolv).isEqualTo(new ContainerMounts.Bind(file, "/etc/resolv.conf", false));
        assertThat(ContainerMounts.wrap(List.of("app"), List.of(resolv))).containsSubsequence(
                file.toString(), "/etc/resolv.conf", "rw", "--", "app");

        ContainerMounts.Bind overHostFile = new ContainerMounts.Bind(file, hostFile.toString(), false);
        ContainerMounts.Bind overMissing = new ContainerMounts.Bind(file, tmp.resolve("missing").toString(), false);
        ContainerMounts.Bind directoryOverFile = new ContainerMounts.Bind(tmp, hostFile.toString(), false);
        List<ContainerMounts.Bind> skipped = new ArrayList<>();
        assertThat(ContainerMounts.mountable(List.of(overHostFile, overMissing, directoryOverFile), skipped)).containsExactly(overHostFile);
        assertThat(skipped).containsExactly(overMissing, directoryOverFile);
        assertThat(ContainerMounts.environment(List.of(resolv))).as("nothing to tell a container without root").isEmpty();
    }

    @Test
    void withoutRootClientsAreToldWhereTheFilesAre() {
        assertThat(ContainerMounts.environment(ContainerMounts.of(C, VOLUMES))).isEqualTo(Map.of(
                "KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", "/d/volumes/kube-api-access-x/token",
                "KUBERNETES_CERTS_CA_FILE", "/d/volumes/kube-api-access-x/ca.crt"));
    }
}
