package dev.roster.dns.zone;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The part of an EndpointSlice that DNS answers from: its ports and its endpoints' addresses, hostnames and readiness. */
record SliceInfo(String name, String resourceVersion, List<PortInfo> ports, List<EndpointInfo> endpoints) {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    SliceInfo {
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    /** One address of an endpoint: the parsed address and its text as the API has it (for the dashed name). */
    record Addr(InetAddress ip, String text) {}

    /**
     * One endpoint. {@code ready} is the Ready condition with an unset value read as ready, as the API's docs ask
     * and CoreDNS does; serving and terminating do not matter to it (a terminating endpoint is not ready unless the
     * Service publishes not-ready addresses, and then the controller reports it ready anyway).
     */
    record EndpointInfo(List<Addr> addresses, String hostname, boolean ready) {
        EndpointInfo {
            addresses = List.copyOf(addresses);
        }

        /** The endpoint's label under its Service: the hostname, else the address with dashes (CoreDNS's name). */
        String label(Addr a) {
            if (hostname != null && !hostname.isEmpty()) return hostname.toLowerCase(java.util.Locale.ROOT);
            return a.text().replace('.', '-').replace(':', '-').toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The Service the slice belongs to (its {@code kubernetes.io/service-name} label), or null. */
    static String serviceOf(EndpointSlice s) {
        Map<String, String> labels = s.getMetadata().getLabels();
        return labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    }

    static SliceInfo of(EndpointSlice s) {
        List<PortInfo> ports = new ArrayList<>();
        if (s.getPorts() != null) {
            for (EndpointPort p : s.getPorts()) ports.add(PortInfo.of(p.getName(), p.getPort(), p.getProtocol()));
        }
        if (ports.isEmpty()) ports.add(PortInfo.NONE);
        List<EndpointInfo> eps = new ArrayList<>();
        if (s.getEndpoints() != null) {
            for (Endpoint e : s.getEndpoints()) {
                List<Addr> addrs = new ArrayList<>();
                if (e.getAddresses() != null) {
                    for (String text : e.getAddresses()) {
                        InetAddress ip = IpText.parse(text); // FQDN slices carry names, which DNS cannot serve as A records
                        if (ip != null) addrs.add(new Addr(ip, text));
                    }
                }
                boolean ready = e.getConditions() == null || e.getConditions().getReady() == null || e.getConditions().getReady();
                eps.add(new EndpointInfo(addrs, e.getHostname(), ready));
            }
        }
        return new SliceInfo(s.getMetadata().getName(), s.getMetadata().getResourceVersion(), ports, eps);
    }
}
