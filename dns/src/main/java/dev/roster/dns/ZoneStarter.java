package dev.roster.dns;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Starts the Kubernetes-fed zone for {@link ClusterDns}. Until the zone package and the server are merged into one
 * branch this finds {@code dev.roster.dns.zone.KubernetesZone} by name; it becomes a direct call then.
 */
final class ZoneStarter {
    record Started(Zone zone, BooleanSupplier synced, AutoCloseable resources) {}

    private static final String ZONE = "dev.roster.dns.zone.KubernetesZone";
    private static final String OPTIONS = "dev.roster.dns.zone.ZoneOptions";
    /** The kubeadm Corefile's {@code ttl 30}. */
    static final long TTL_SECONDS = 30;

    private ZoneStarter() {}

    static Started start(KubernetesClient client, DnsOptions options) {
        try {
            Class<?> zoneClass = Class.forName(ZONE);
            Class<?> optionsClass = Class.forName(OPTIONS);
            Object zoneOptions = optionsClass.getConstructor(String.class, long.class, List.class)
                    .newInstance(options.clusterDomain(), TTL_SECONDS, options.dnsServiceIps());
            Object zone = zoneClass.getMethod("start", KubernetesClient.class, optionsClass).invoke(null, client, zoneOptions);
            Method synced = zoneClass.getMethod("hasSynced");
            BooleanSupplier hasSynced = () -> {
                try {
                    return (Boolean) synced.invoke(zone);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
            return new Started((Zone) zone, hasSynced, (AutoCloseable) zone);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("cannot start the cluster DNS zone: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the cluster DNS zone (" + ZONE + ") is not built in: " + e, e);
        }
    }
}
