package dev.roster.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.testing.Golden;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@code roster trace} output against a real API server, compared with golden files
 * ({@code -Dgolden.update=true} rewrites them; review the diff).
 */
class ServiceTraceTest {
    static ProxyWorld world;

    @BeforeAll
    static void objects() {
        world = new ProxyWorld();
        var c = world.client;
        for (int i = 1; i <= 3; i++) {
            c.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("web-" + i).withNamespace("default").endMetadata()
                    .withNewSpec().withNodeName("roster-node-" + (i == 3 ? 2 : 1))
                    .addNewContainer().withName("log-shipper").withImage("busybox").endContainer()
                    .addNewContainer().withName("nginx").withImage("nginx").addNewPort().withName("http").withContainerPort(8080).endPort().endContainer()
                    .endSpec().build()).create();
        }
        c.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withType("LoadBalancer").withClusterIP("127.96.201.40").withSessionAffinity("ClientIP")
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).withNodePort(30080).endPort()
                .addToSelector("app", "web").endSpec().build()).create();
        c.services().inNamespace("default").withName("web").editStatus(s -> new ServiceBuilder(s).withNewStatus().withNewLoadBalancer()
                .addNewIngress().withIp("127.240.0.7").endIngress().endLoadBalancer().endStatus().build());
        c.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("web-abcde").withLabels(Map.of(dev.roster.proxy.model.EndpointSlices.SERVICE_NAME_LABEL, "web")).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
                .addToEndpoints(endpoint("127.244.1.11", "web-1", "roster-node-1", true, false))
                .addToEndpoints(endpoint("127.244.1.12", "web-2", "roster-node-1", true, false))
                .addToEndpoints(endpoint("127.244.2.13", "web-3", "roster-node-2", false, false))
                .build()).create();
        // a selector-less Service with a hand-written slice pointing at a server outside the cluster
        c.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("legacy").endMetadata()
                .withNewSpec().withClusterIP("127.96.201.41").addNewPort().withPort(5432).withProtocol("TCP").endPort().endSpec().build()).create();
        c.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("legacy-1").withLabels(Map.of(dev.roster.proxy.model.EndpointSlices.SERVICE_NAME_LABEL, "legacy")).endMetadata()
                .withAddressType("IPv4").addNewPort().withPort(15432).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("127.0.0.1").endEndpoint().build()).create();
        c.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("empty").endMetadata()
                .withNewSpec().withClusterIP("127.96.201.42").addNewPort().withName("dns").withPort(53).withProtocol("UDP").endPort()
                .addToSelector("app", "nothing").endSpec().build()).create();
    }

    static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(String ip, String pod, String node, boolean ready, boolean terminating) {
        return new EndpointBuilder().withAddresses(ip).withNodeName(node)
                .withNewTargetRef().withKind("Pod").withNamespace("default").withName(pod).endTargetRef()
                .withNewConditions().withReady(ready).withServing(ready).withTerminating(terminating).endConditions().build();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @ParameterizedTest
    @CsvSource({
            "svc/web, trace-web.txt",
            "127.96.201.40:80, trace-web.txt",
            "127.240.0.7:80, trace-web.txt",
            "127.0.0.1:30080, trace-web.txt",
            "svc/legacy, trace-legacy.txt",
            "svc/empty, trace-empty.txt"})
    void printsThePathOfANewConnection(String target, String golden) throws IOException {
        Golden.standard().assertMatches(golden, new ServiceTrace(world.client).trace(target, "default"));
    }

    @Test
    void unknownTargetsSayWhatWasNotFound() {
        ServiceTrace t = new ServiceTrace(world.client);
        assertThatThrownBy(() -> t.trace("svc/nope", "default")).isInstanceOf(ServiceTrace.NotFound.class)
                .hasMessage("service \"nope\" not found in namespace \"default\"");
        assertThatThrownBy(() -> t.trace("127.96.201.40:81", "default")).isInstanceOf(ServiceTrace.NotFound.class)
                .hasMessage("no Service port answers on 127.96.201.40:81");
        assertThatThrownBy(() -> t.trace("web", "default")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("svc/NAME or IP:PORT");
    }
}
