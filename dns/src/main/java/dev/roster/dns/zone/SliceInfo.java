package dev.roster.dns.zone;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The part of an EndpointSlice that DNS answers from: its ports and its endpoints' addresses, hostnames and readiness. */
record SliceInfo(String name, String resourceVersion, List<PortInfo> ports, List<EndpointInfo> endpoints) {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    SliceInfo {
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    /**
     * One endpoint. {@code ready} is the Ready condition with an unset value read as ready, as the API's docs ask
     * and CoreDNS does; serving and terminating do not matter to it (a terminating endpoint is not ready unless the
     * Service publishes not-ready addresses, and then the controller reports it ready anyway).
     */
    record EndpointInfo(List<InetAddress> addresses, String hostname, boolean ready) {
        EndpointInfo {
            addresses = List.copyOf(addresses);
        }

        /**
         * The endpoint's label under its Service: its hostname when that is a DNS label, else the address with
         * dashes ({@code 10-244-1-5}, {@code fd00-244--7}), as CoreDNS names endpoints.
         */
        String label(InetAddress ip) {
            if (hostname != null && HOSTNAME.matcher(hostname).matches()) return hostname;
            return IpText.canonical(ip).replace('.', '-').replace(':', '-');
        }
    }

    private static final Pattern HOSTNAME = Pattern.compile("[-a-z0-9]{1,63}");

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
                List<InetAddress> addrs = new ArrayList<>();
                if (e.getAddresses() != null) {
                    for (String text : e.getAddresses()) {
                        InetAddress ip = IpText.parse(text); // FQDN slices carry names, which DNS cannot serve as A records
                        if (ip != null) addrs.add(ip);
                    }
                }
                boolean ready = e.getConditions() == null || e.getConditions().getReady() == null || e.getConditions().getReady();
                eps.add(new EndpointInfo(addrs, e.getHostname(), ready));
            }
        }
        return new SliceInfo(s.getMetadata().getName(), s.getMetadata().getResourceVersion(), ports, eps);
    }
}
