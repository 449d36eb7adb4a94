package dev.roster.proxy.userspace;

import dev.roster.runtime.Controller;
import dev.roster.runtime.ExecutorTimers;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.RateLimiter;
import dev.roster.runtime.Timers;
import dev.roster.runtime.WorkQueue;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback "cloud provider": gives each Service of type LoadBalancer an address from a pool
 * (127.240.0.0/16 by default) and writes it to status.loadBalancer.ingress, so kubectl shows it as
 * EXTERNAL-IP and the userspace proxy listens there; takes it back when the Service is deleted or
 * changes type. Like k3s's servicelb or kind's cloud-provider-kind, but on loopback addresses any
 * user can reach. Services with a spec.loadBalancerClass belong to another implementation and are
 * left alone; a spec.loadBalancerIP inside the pool is honoured when free.
 *
 * <p>A controller in the project's shape: the informer's handler enqueues the Service key, one
 * worker calls {@link #reconcile(String)}, errors requeue with back-off.
 */
public final class LoadBalancerAllocator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerAllocator.class);
    public static final String DEFAULT_POOL = "127.240.0.0/16";

    private final KubernetesClient client;
    private final AddressPool pool;
    private final ServiceEvents events;
    private final Timers timers = new ExecutorTimers("lb-allocator-timers");
    private final WorkQueue queue = new WorkQueue(timers, new RateLimiter.ExponentialFailure(Duration.ofMillis(200), Duration.ofSeconds(30)));
    private SharedIndexInformer<Service> services;
    private Controller controller;

    public LoadBalancerAllocator(KubernetesClient client, String poolCidr) {
        this.client = client;
        this.pool = new AddressPool(poolCidr);
        this.events = new ServiceEvents(client, "service-lb-controller");
    }

    public synchronized LoadBalancerAllocator start() {
        services = client.services().inAnyNamespace().runnableInformer(0);
        services.addEventHandler(Handlers.enqueueSelf(queue));
        services.start();
        controller = new Controller("lb-allocator", queue, 1, Controller.RETRY_FOREVER) {
            @Override
            protected void onCachesSynced() { adoptExisting(); }

            @Override
            protected void reconcile(String key) { LoadBalancerAllocator.this.reconcile(key); }
        };
        controller.start(services::hasSynced);
        return this;
    }

    /** Before handing out anything, takes note of the addresses Services already show (after a restart). */
    private void adoptExisting() {
        for (Service s : services.getIndexer().list()) {
            if (!wantsAddress(s)) continue;
            for (String ip : ingressIPs(s)) if (pool.claim(Cache.metaNamespaceKeyFunc(s), ip)) break;
        }
    }

    static boolean wantsAddress(Service s) {
        return s.getSpec() != null && "LoadBalancer".equals(s.getSpec().getType()) && s.getSpec().getLoadBalancerClass() == null;
    }

    static List<String> ingressIPs(Service s) {
        List<String> ips = new ArrayList<>();
        if (s.getStatus() != null && s.getStatus().getLoadBalancer() != null && s.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress i : s.getStatus().getLoadBalancer().getIngress()) if (i.getIp() != null) ips.add(i.getIp());
        }
        return ips;
    }

    void reconcile(String key) {
        Service svc = services.getIndexer().getByKey(key);
        if (svc == null) {
            pool.release(key);
            return;
        }
        List<String> shown = ingressIPs(svc);
        if (!wantsAddress(svc)) {
            boolean ours = pool.addressOf(key) != null || shown.stream().anyMatch(pool::contains);
            pool.release(key);
            if (ours && svc.getSpec() != null && svc.getSpec().getLoadBalancerClass() == null) writeIngress(svc, List.of());
            return;
        }
        String ip = pool.addressOf(key);
        if (ip == null) {
            String requested = svc.getSpec().getLoadBalancerIP();
            if (requested != null && !requested.isEmpty()) {
                if (!pool.claim(key, requested)) {
                    events.warning(svc, "AllocationFailed", "loadBalancerIP " + requested + " is not free in the pool " + DEFAULT_POOL);
                    return;
                }
            } else {
                for (String s : shown) if (pool.claim(key, s)) break;
            }
            ip = pool.addressOf(key) != null ? pool.addressOf(key) : pool.allocate(key);
            if (ip == null) {
                events.warning(svc, "AllocationFailed", "no free address left in the pool " + DEFAULT_POOL);
                return;
            }
        }
        if (!shown.equals(List.of(ip))) {
            writeIngress(svc, List.of(new LoadBalancerIngressBuilder().withIp(ip).build()));
            events.normal(svc, "EnsuredLoadBalancer", "assigned loopback address " + ip);
            LOG.info("lb allocator: {} gets {}", key, ip);
        }
    }

    private void writeIngress(Service svc, List<LoadBalancerIngress> ingress) {
        Service copy = new ServiceBuilder(svc).withNewStatus().withLoadBalancer(new LoadBalancerStatus(ingress))
                .endStatus().build();
        try {
            client.services().inNamespace(svc.getMetadata().getNamespace()).resource(copy).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) return; // gone meanwhile: its delete event follows
            throw e;
        }
    }

    /** How many addresses are handed out (for tests and the web view). */
    public int allocated() {
        return pool.used();
    }

    @Override
    public synchronized void close() {
        if (controller != null) controller.close();
        queue.close();
        timers.close();
        if (services != null) services.close();
    }
}
