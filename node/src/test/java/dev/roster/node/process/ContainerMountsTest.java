package dev.roster.node.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a container's projected-volume mounts become a command line, and what a container without root is told. */
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
    void withoutRootClientsAreToldWhereTheFilesAre() {
        assertThat(ContainerMounts.environment(ContainerMounts.of(C, VOLUMES))).isEqualTo(Map.of(
                "KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", "/d/volumes/kube-api-access-x/token",
                "KUBERNETES_CERTS_CA_FILE", "/d/volumes/kube-api-access-x/ca.crt"));
    }
}
