package dev.roster.proxy.model;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;

/**
 * Which Services and EndpointSlices a roster proxy serves, in every mode: upstream's kube-proxy
 * watches both with the label selector {@code !service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless},
 * so a Service that names another proxy, and the slices of a headless Service, are left alone. The
 * shared model applies the rule ({@link ServicePorts#from}, {@link EndpointSlices#merge}), so
 * iptables, nftables, the live proxy and the userspace proxy agree.
 */
public final class ProxiedObjects {
    /** Services carrying this label belong to another proxy. */
    public static final String SERVICE_PROXY_NAME_LABEL = "service.kubernetes.io/service-proxy-name";
    /** The EndpointSlice controller marks the slices of headless Services with this label. */
    public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

    private ProxiedObjects() {
    }

    /** Whether a roster proxy serves this Service or EndpointSlice (false when either label is present). */
    public static boolean proxied(HasMetadata object) {
        Map<String, String> labels = object.getMetadata() == null ? null : object.getMetadata().getLabels();
        return labels == null || !(labels.containsKey(SERVICE_PROXY_NAME_LABEL) || labels.containsKey(HEADLESS_LABEL));
    }
}
