package dev.roster.proxy.testing;

import dev.roster.proxy.model.EndpointSlices;
import dev.roster.proxy.model.ProxiedObjects;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The table every proxy mode's label test runs: which Services and EndpointSlices a roster proxy serves
 * ({@link ProxiedObjects}). Service default/web, cluster IP {@value #CLUSTER_IP}, port http 80/TCP; its
 * slice lists one ready endpoint {@value #ENDPOINT}.
 *
 * @param serviceProxied the Service's ports are programmed
 * @param sliceProxied   the slice's endpoint is used
 */
public record ProxiedLabelCases(String name, Map<String, String> serviceLabels, Map<String, String> sliceLabels,
                                boolean serviceProxied, boolean sliceProxied) {
    public static final String CLUSTER_IP = "10.96.0.10";
    public static final String ENDPOINT = "10.244.0.5:8080";

    public static Stream<ProxiedLabelCases> cases() {
        String proxyName = ProxiedObjects.SERVICE_PROXY_NAME_LABEL, headless = ProxiedObjects.HEADLESS_LABEL;
        return Stream.of(
                new ProxiedLabelCases("no labels", Map.of(), Map.of(), true, true),
                new ProxiedLabelCases("unrelated labels", Map.of("app", "web"), Map.of("app", "web"), true, true),
                new ProxiedLabelCases("another proxy's Service", Map.of(proxyName, "other"), Map.of(proxyName, "other"), false, false),
                new ProxiedLabelCases("an empty proxy name still names one", Map.of(proxyName, ""), Map.of(proxyName, ""), false, false),
                new ProxiedLabelCases("headless slices", Map.of(), Map.of(headless, ""), true, false),
                new ProxiedLabelCases("headless label on both", Map.of(headless, ""), Map.of(headless, ""), false, false));
    }

    public Service service() {
        return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default").withLabels(serviceLabels)
                .endMetadata().withNewSpec().withType("ClusterIP").withClusterIP(CLUSTER_IP).withClusterIPs(CLUSTER_IP)
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort().endSpec().build();
    }

    public EndpointSlice slice() {
        Map<String, String> labels = new HashMap<>(sliceLabels);
        labels.put(EndpointSlices.SERVICE_NAME_LABEL, "web");
        return new EndpointSliceBuilder().withNewMetadata().withName("web-1").withNamespace("default").withLabels(labels)
                .endMetadata().withAddressType("IPv4").addNewPort().withName("http").withProtocol("TCP").withPort(8080).endPort()
                .addToEndpoints(new EndpointBuilder().withAddresses("10.244.0.5").withNewConditions().withReady(true)
                        .endConditions().build())
                .build();
    }

    @Override
    public String toString() {
        return name;
    }
}
