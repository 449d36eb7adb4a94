package dev.roster.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loopback LoadBalancer allocator and the proxy listening on what it hands out. */
class LoadBalancerAllocatorTest {
    static final String POOL = "127.241.7.0/24"; // not the default pool: other clusters on this machine use that

    static Service lb(String name, String clusterIP, int port) {
        return new ServiceBuilder(ProxyWorld.service(name, clusterIP, "TCP", port)).editSpec().withType("LoadBalancer").endSpec().build();
    }

    static List<String> ingress(ProxyWorld w, String name) {
        Service s = w.client.services().inNamespace("default").withName(name).get();
        return s == null ? List.of() : LoadBalancerAllocator.ingressIPs(s);
    }

    @Test
    void loadBalancerServicesGetAnAddressTheProxyServesAndLoseItOnTypeChange() throws IOException {
        try (ProxyWorld w = new ProxyWorld()) {
            LoadBalancerAllocator allocator = w.closeLater(new LoadBalancerAllocator(w.client, POOL).start());
            UserspaceProxy proxy = w.proxy(ProxyOptions.loopback());
            int port = ProxyWorld.freePort("127.77.20.1");
            w.tcpServer("lb-pod", "127.77.20.1", port);
            w.create(lb("front", "127.96.201.20", port));
            w.apply(ProxyWorld.slice("front-a", "front", "TCP", port, Map.of("127.77.20.1", true)));
            await().atMost(Duration.ofSeconds(5)).until(() -> ingress(w, "front").equals(List.of("127.241.7.1")));

            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.listening().contains("127.241.7.1:" + port + "/TCP"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.targets("default", "front").get("p/TCP").isEmpty());
            assertThat(ProxyWorld.ask("127.241.7.1", port)).isEqualTo("lb-pod");

            w.create(lb("second", "127.96.201.21", 18_090));
            await().atMost(Duration.ofSeconds(5)).until(() -> ingress(w, "second").equals(List.of("127.241.7.2")));

            // type change and delete give the addresses back
            w.client.services().inNamespace("default").withName("front")
                    .edit(s -> new ServiceBuilder(s).editSpec().withType("ClusterIP").withAllocateLoadBalancerNodePorts(null).withExternalTrafficPolicy(null)
                            .editFirstPort().withNodePort(null).endPort().endSpec().build());
            await().atMost(Duration.ofSeconds(5)).until(() -> ingress(w, "front").isEmpty());
            await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.listening().contains("127.241.7.1:" + port + "/TCP"));
            w.client.services().inNamespace("default").withName("second").delete();
            await().atMost(Duration.ofSeconds(5)).until(() -> allocator.allocated() == 0);
            w.create(lb("third", "127.96.201.22", 18_091));
            await().atMost(Duration.ofSeconds(5)).until(() -> ingress(w, "third").size() == 1);
            assertThat(allocator.allocated()).isEqualTo(1);
        }
    }

    @Test
    void aRestartedAllocatorKeepsTheAddressesServicesShowAndHonoursRequests() {
        try (ProxyWorld w = new ProxyWorld()) {
            LoadBalancerAllocator first = new LoadBalancerAllocator(w.client, POOL).start();
            w.create(lb("a", "127.96.201.23", 18_092));
            await().atMost(Duration.ofSeconds(5)).until(() -> ingress(w, "a").equals(List.of("127.241.7.1")));
            first.close();

            w.closeLater(new LoadBalancerAllocator(w.client, POOL).start());
            w.create(new ServiceBuilder(lb("b", "127.96.201.24", 18_093)).editSpec().withLoadBalancerIP("127.241.7.9").endSpec().build());
            w.create(lb("c", "127.96.201.25", 18_094));
            await().atMost(Duration.ofSeconds(5)).until(() -> ingress(w, "b").equals(List.of("127.241.7.9")));
            await().atMost(Duration.ofSeconds(5)).until(() -> ingress(w, "c").size() == 1);
            assertThat(ingress(w, "c")).containsExactly("127.241.7.2");
            assertThat(ingress(w, "a")).containsExactly("127.241.7.1");
        }
    }
}
