package dev.roster.node.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Service variables, downward API, ConfigMap/Secret references and their order, as the kubelet builds them. */
class ContainerEnvTest {
    static final ContainerEnv.Node NODE = new ContainerEnv.Node("roster-node-1", "127.0.0.1", "4", "8Gi");

    static Service svc(String ns, String name, String ip, String... ports) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withClusterIP(ip).endSpec();
        for (String p : ports) {
            String[] f = p.split("/"); // name/port/protocol, name may be empty
            b.editSpec().addNewPort().withName(f[0].isEmpty() ? null : f[0]).withPort(Integer.parseInt(f[1]))
                    .withProtocol(f.length > 2 ? f[2] : null).endPort().endSpec();
        }
        return b.build();
    }

    /** Upstream's names for one service with a named TCP port and an unnamed UDP port. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "MY_SVC_SERVICE_HOST,127.96.0.10",
            "MY_SVC_SERVICE_PORT,80",
            "MY_SVC_SERVICE_PORT_HTTP_ALT,80",
            "MY_SVC_PORT,tcp://127.96.0.10:80",
            "MY_SVC_PORT_80_TCP,tcp://127.96.0.10:80",
            "MY_SVC_PORT_80_TCP_PROTO,tcp",
            "MY_SVC_PORT_80_TCP_PORT,80",
            "MY_SVC_PORT_80_TCP_ADDR,127.96.0.10",
            "MY_SVC_PORT_53_UDP,udp://127.96.0.10:53",
            "MY_SVC_PORT_53_UDP_PROTO,udp",
            "MY_SVC_PORT_53_UDP_PORT,53",
            "MY_SVC_PORT_53_UDP_ADDR,127.96.0.10",
    })
    void serviceVariables(String name, String value) {
        Map<String, String> env = ServiceEnv.of(List.of(svc("default", "my-svc", "127.96.0.10", "http-alt/80", "/53/UDP")));
        assertThat(env).containsEntry(name, value).hasSize(12);
    }

    @Test
    void visibleServicesAreTheNamespacesOwnPlusKubernetesAndSkipHeadless() {
        List<Service> all = List.of(svc("default", "kubernetes", "127.96.0.1", "https/443"),
                svc("default", "other", "127.96.0.2", "/80"), svc("shop", "cart", "127.96.0.3", "/8080"),
                svc("shop", "headless", "None", "/80"), svc("shop", "external", "", "/80"));
        assertThat(ServiceEnv.visible("shop", true, all)).extracting(s -> s.getMetadata().getName())
                .containsExactly("cart", "kubernetes");
        assertThat(ServiceEnv.visible("shop", false, all)).extracting(s -> s.getMetadata().getName())
                .containsExactly("kubernetes");
        assertThat(ServiceEnv.visible("default", true, all)).extracting(s -> s.getMetadata().getName())
                .containsExactly("kubernetes", "other");
    }

    static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").withUid("u-1")
                .withLabels(Map.of("app", "web")).withAnnotations(Map.of("team", "blue")).endMetadata()
                .withNewSpec().withNodeName("roster-node-1").withServiceAccountName("robot").withContainers(c).endSpec().build();
    }

    static ContainerEnv.Sources sources(List<Service> services) {
        return new ContainerEnv.Sources() {
            @Override public Map<String, String> configMap(String ns, String name) {
                return name.equals("cfg") ? Map.of("colour", "blue", "size", "L", "bad key", "x") : null;
            }

            @Override public Map<String, String> secret(String ns, String name) {
                return name.equals("creds") ? Map.of("password", "s3cret") : null;
            }

            @Override public List<Service> services(String ns) { return services; }
        };
    }

    static ContainerBuilder container() { return new ContainerBuilder().withName("main").withImage("busybox"); }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "metadata.name,web-1", "metadata.namespace,shop", "metadata.uid,u-1", "metadata.labels['app'],web",
            "metadata.annotations['team'],blue", "metadata.labels['none'],''", "spec.nodeName,roster-node-1",
            "spec.serviceAccountName,robot", "status.podIP,127.244.1.5", "status.podIPs,127.244.1.5",
            "status.hostIP,127.0.0.1", "status.hostIPs,127.0.0.1",
    })
    void downwardApiFields(String path, String value) throws Exception {
        Container c = container().addNewEnv().withName("X").withValueFrom(new EnvVarSourceBuilder()
                .withFieldRef(new ObjectFieldSelector("v1", path)).build()).endEnv().build();
        assertThat(ContainerEnv.build(pod(c), c, "127.244.1.5", NODE, sources(List.of()))).containsEntry("X", value);
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource({"limits.cpu,1,4", "limits.cpu,1m,4000", "limits.memory,1Mi,8192", "requests.cpu,1m,250",
            "requests.memory,1,0"})
    void resourceFields(String resource, String divisor, String value) throws Exception {
        Container c = container().withNewResources().addToRequests("cpu", new Quantity("250m")).endResources()
                .addNewEnv().withName("R").withValueFrom(new EnvVarSourceBuilder().withResourceFieldRef(
                        new ResourceFieldSelector(null, new Quantity(divisor), resource)).build()).endEnv().build();
        assertThat(ContainerEnv.build(pod(c), c, "127.244.1.5", NODE, sources(List.of()))).containsEntry("R", value);
    }

    @Test
    void envFromThenEnvThenServicesWithExpansion() throws Exception {
        Container c = container()
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef("cfg", false).endEnvFrom()
                .addNewEnvFrom().withNewSecretRef("creds", false).endEnvFrom()
                .addNewEnv().withName("URL").withValue("http://$(CART_SERVICE_HOST):$(CART_SERVICE_PORT)/$(CFG_colour)").endEnv()
                .addNewEnv().withName("LATER").withValue("$(NOT_YET)").endEnv()
                .addNewEnv().withName("NOT_YET").withValue("x").endEnv()
                .addNewEnv().withName("CART_SERVICE_PORT").withValue("mine").endEnv()
                .addNewEnv().withName("ESCAPED").withValue("$$(CFG_size)").endEnv()
                .addNewEnv().withName("PW").withNewValueFrom().withNewSecretKeyRef("password", "creds", false).endValueFrom().endEnv()
                .addNewEnv().withName("OPT").withNewValueFrom().withNewSecretKeyRef("k", "absent", true).endValueFrom().endEnv()
                .build();
        Map<String, String> env = ContainerEnv.build(pod(c), c, "127.244.1.5", NODE,
                sources(List.of(svc("shop", "cart", "127.96.0.3", "/8080"))));
        assertThat(env).containsEntry("CFG_colour", "blue").containsEntry("CFG_size", "L").doesNotContainKey("CFG_bad key")
                .containsEntry("password", "s3cret")
                .containsEntry("URL", "http://127.96.0.3:8080/blue")
                .containsEntry("LATER", "$(NOT_YET)")
                .containsEntry("CART_SERVICE_PORT", "mine") // a container's own definition wins over the service's
                .containsEntry("CART_SERVICE_HOST", "127.96.0.3")
                .containsEntry("ESCAPED", "$(CFG_size)")
                .containsEntry("PW", "s3cret")
                .doesNotContainKey("OPT");
        assertThat(List.copyOf(env.keySet()).indexOf("CFG_colour")).isLessThan(List.copyOf(env.keySet()).indexOf("URL"));
        assertThat(ContainerEnv.commandLine(new ContainerBuilder(c).withCommand("echo", "$(PW)").withArgs("$(NONE)").build(), env))
                .containsExactly("echo", "s3cret", "$(NONE)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "configMapKeyRef absent|configmap \"absent\" not found",
            "configMapKeyRef missing key|couldn't find key nope in ConfigMap shop/cfg",
            "secretKeyRef absent|secret \"absent\" not found",
            "secretKeyRef missing key|couldn't find key nope in Secret shop/creds",
    })
    void missingReferencesStopTheContainer(String what, String message) {
        var src = new EnvVarSourceBuilder();
        boolean absent = what.endsWith("absent");
        if (what.startsWith("configMap")) src.withNewConfigMapKeyRef(absent ? "colour" : "nope", absent ? "absent" : "cfg", false);
        else src.withNewSecretKeyRef(absent ? "password" : "nope", absent ? "absent" : "creds", false);
        Container c = container().addNewEnv().withName("X").withValueFrom(src.build()).endEnv().build();
        assertThatThrownBy(() -> ContainerEnv.build(pod(c), c, "127.244.1.5", NODE, sources(List.of())))
                .isInstanceOf(ContainerEnv.ConfigError.class).hasMessage(message);
    }
}
