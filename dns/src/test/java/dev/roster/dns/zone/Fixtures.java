package dev.roster.dns.zone;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Services and EndpointSlices as the API server would hold them, for the zone's tests. */
final class Fixtures {
    private Fixtures() {}

    static ServicePort port(String name, int port, String protocol) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol(protocol).build();
    }

    static Service clusterIp(String ns, String name, List<String> ips, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(ips.getFirst()).withClusterIPs(ips)
                .withPorts(ports).endSpec().build();
    }

    static Service headless(String ns, String name, boolean publishNotReady, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("None").withClusterIPs("None")
                .withPublishNotReadyAddresses(publishNotReady ? true : null).withPorts(ports).endSpec().build();
    }

    static Service externalName(String ns, String name, String target) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName(target).endSpec().build();
    }

    /** An endpoint: its address, an optional hostname, and its Ready condition (null: unset). */
    record Ep(String ip, String hostname, Boolean ready) {}

    static Ep ready(String ip) {
        return new Ep(ip, null, true);
    }

    static Ep notReady(String ip) {
        return new Ep(ip, null, false);
    }

    static Ep host(String ip, String hostname, boolean ready) {
        return new Ep(ip, hostname, ready);
    }

    /** {@code ports} are name/port/protocol triples, e.g. {@code "http", 8080, "TCP"}. */
    static EndpointSlice slice(String ns, String service, String name, List<Ep> endpoints, Object... ports) {
        String family = endpoints.stream().anyMatch(e -> e.ip().contains(":")) ? "IPv6" : "IPv4";
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata().withAddressType(family);
        for (int i = 0; i < ports.length; i += 3) {
            b.addToPorts(new EndpointPortBuilder().withName((String) ports[i]).withPort((Integer) ports[i + 1])
                    .withProtocol((String) ports[i + 2]).build());
        }
        List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> eps = new ArrayList<>();
        for (Ep e : endpoints) {
            EndpointBuilder eb = new EndpointBuilder().withAddresses(e.ip()).withHostname(e.hostname()).withNewConditions()
                    .withReady(e.ready()).withServing(e.ready()).withTerminating(e.ready() == null ? null : !e.ready())
                    .endConditions();
            eps.add(eb.build());
        }
        return b.withEndpoints(eps).build();
    }

    static List<Ep> eps(Ep... e) {
        return Arrays.asList(e);
    }

    static Name name(String s) {
        try {
            return Name.fromString(s);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
