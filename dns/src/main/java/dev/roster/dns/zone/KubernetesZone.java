package dev.roster.dns.zone;

import dev.roster.dns.Lookup;
import dev.roster.dns.Zone;
import dev.roster.runtime.Handlers;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The cluster zone fed by the API server: informers on Services, EndpointSlices (discovery/v1) and Namespaces in all
 * namespaces update {@link ClusterRecords} per event, so no question ever waits for the API server. Until the three
 * informers have listed, names that are not found answer SERVFAIL instead of NXDOMAIN, as CoreDNS does.
 */
public final class KubernetesZone implements Zone, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubernetesZone.class);

    private final ClusterRecords records;
    private final List<SharedIndexInformer<?>> informers;

    private KubernetesZone(ClusterRecords records, List<SharedIndexInformer<?>> informers) {
        this.records = records;
        this.informers = informers;
    }

    /** Starts the informers and returns at once; {@link #hasSynced()} tells when the first lists are in. */
    public static KubernetesZone start(KubernetesClient client, ZoneOptions options) {
        return start(client, options, Clock.systemUTC());
    }

    static KubernetesZone start(KubernetesClient client, ZoneOptions options, Clock clock) {
        ClusterRecords records = new ClusterRecords(options, clock);
        SharedIndexInformer<Namespace> namespaces = client.namespaces().runnableInformer(0);
        namespaces.addEventHandler(Handlers.<Namespace>of(n -> records.putNamespace(n.getMetadata().getName()),
                (o, n) -> records.putNamespace(n.getMetadata().getName()), n -> records.removeNamespace(n.getMetadata().getName())));
        SharedIndexInformer<Service> services = client.services().inAnyNamespace().runnableInformer(0);
        services.addEventHandler(Handlers.of(records::putService, (o, n) -> records.putService(n), records::removeService));
        SharedIndexInformer<EndpointSlice> slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        slices.addEventHandler(Handlers.of(records::putSlice, (o, n) -> records.putSlice(n), records::removeSlice));
        KubernetesZone zone = new KubernetesZone(records, List.of(namespaces, services, slices));
        // fabric8 stops an informer whose first list fails; a DNS server without its records would answer SERVFAIL
        // for good, so keep retrying (fabric8 backs off between attempts)
        for (SharedIndexInformer<?> i : zone.informers) {
            i.exceptionHandler((started, t) -> {
                log.warn("dns: list/watch failed ({}), retrying: {}", started ? "running" : "starting", t.toString());
                return true;
            });
        }
        CompletableFuture.allOf(namespaces.start().toCompletableFuture(), services.start().toCompletableFuture(),
                slices.start().toCompletableFuture()).whenComplete((ok, err) -> {
                    if (err != null) {
                        log.warn("dns: the cluster zone could not list from the API server: {}", err.toString());
                        return;
                    }
                    // the handlers run on their own threads: feed the lists here too (a replay changes nothing), so
                    // the zone never reports synced while it holds half the cluster
                    namespaces.getStore().list().forEach(n -> records.putNamespace(n.getMetadata().getName()));
                    services.getStore().list().forEach(records::putService);
                    slices.getStore().list().forEach(records::putSlice);
                    records.markSynced();
                    log.info("dns: cluster zone {} synced: {} names", options.clusterDomain(), records.size());
                });
        return zone;
    }

    /** Whether the informers have listed everything once (answers are complete). */
    public boolean hasSynced() {
        return records.hasSynced();
    }

    /** The index itself (for tests and metrics). */
    public ClusterRecords records() {
        return records;
    }

    @Override
    public boolean covers(Name qname) {
        return records.covers(qname);
    }

    @Override
    public Lookup lookup(Name qname, int type) {
        return records.lookup(qname, type);
    }

    @Override
    public long generation() {
        return records.generation();
    }

    @Override
    public void close() {
        for (SharedIndexInformer<?> i : informers) i.stop();
    }
}
