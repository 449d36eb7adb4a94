package dev.roster.controllers.endpoints;

import dev.roster.controllers.ManagedController;
import dev.roster.controllers.endpointutil.TriggerTimeTracker;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Keys;
import dev.roster.runtime.Timers;
import dev.roster.runtime.WorkQueue;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Endpoints controller: every Service with a selector gets an Endpoints object of the same name listing the
 * matching pods (ready ones in {@code addresses}, the others in {@code notReadyAddresses}); Endpoints of deleted
 * Services are deleted; selector-less and ExternalName Services are left alone. Behaviour follows upstream's
 * controller as described in {@code shared/specs/controllers.md} §1–2.
 */
public final class EndpointsController extends ManagedController<EndpointsController> {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointsController.class);

    public static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
    public static final String OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";
    public static final String HEADLESS = "service.kubernetes.io/headless";
    public static final String LEADER = "control-plane.alpha.kubernetes.io/leader";

    /** Limits and tuning; {@link #defaults()} are upstream's. */
    public record Options(int workers, Duration batchPeriod, int maxCapacity, int maxRetries) {
        public static Options defaults() { return new Options(5, Duration.ZERO, 1000, 15); }
    }

    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Endpoints> endpoints;
    private final Options options;
    private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
    /** Per key, the resourceVersion of an Endpoints this controller has already replaced (stale cache guard). */
    private final Map<String, String> replaced = new ConcurrentHashMap<>();

    public EndpointsController(KubernetesClient client, SharedIndexInformer<Service> services,
            SharedIndexInformer<Pod> pods, SharedIndexInformer<Endpoints> endpoints, Timers timers, Options options) {
        super("endpoints-controller", "endpoint-controller", WorkQueue.withDefaultRateLimiter(timers), options.workers(), options.maxRetries(), services, pods, endpoints);
        this.client = client;
        this.services = services;
        this.pods = pods;
        this.endpoints = endpoints;
        this.options = options;
        services.addEventHandler(Handlers.enqueueSelf(queue));
        pods.addEventHandler(Handlers.<Pod>of(this::podAddedOrDeleted, this::podUpdated, this::podAddedOrDeleted));
        endpoints.addEventHandler(Handlers.enqueueSelfOnDelete(queue));
    }

    /** Starts the workers once all three informers have synced. */
    @Override
    protected void onCachesSynced() {
        // Endpoints left behind by services deleted while we were not running.
        for (Endpoints ep : endpoints.getStore().list()) {
            var ann = ep.getMetadata().getAnnotations();
            if (ann != null && ann.containsKey(LEADER)) continue;
            queue.add(Keys.of(ep));
        }
    }

    // ---- event handlers: keys only ----

    private void podAddedOrDeleted(Pod pod) {
        for (String key : servicesSelecting(pod)) queue.addAfter(key, options.batchPeriod());
    }

    private void podUpdated(Pod old, Pod pod) {
        boolean labelsChanged = !Objects.equals(labels(old), labels(pod))
                || !Objects.equals(spec(old, true), spec(pod, true)) || !Objects.equals(spec(old, false), spec(pod, false));
        boolean podChanged = !Objects.equals(old.getMetadata().getDeletionTimestamp(), pod.getMetadata().getDeletionTimestamp())
                || PodRules.isReady(old) != PodRules.isReady(pod) || !podIps(old).equals(podIps(pod));
        if (!labelsChanged && !podChanged) return;
        Set<String> keys = new HashSet<>(servicesSelecting(pod));
        if (labelsChanged) {
            Set<String> oldKeys = servicesSelecting(old);
            if (podChanged) {
                keys.addAll(oldKeys);
            } else {
                Set<String> both = new HashSet<>(keys);
                both.retainAll(oldKeys);
                keys.addAll(oldKeys);
                keys.removeAll(both);
            }
        }
        for (String key : keys) queue.addAfter(key, options.batchPeriod());
    }

    private static Map<String, String> labels(Pod p) {
        return p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
    }

    private static String spec(Pod p, boolean hostname) {
        if (p.getSpec() == null) return null;
        return hostname ? p.getSpec().getHostname() : p.getSpec().getSubdomain();
    }

    private static List<String> podIps(Pod p) {
        List<String> out = new ArrayList<>();
        if (p.getStatus() != null && p.getStatus().getPodIPs() != null) {
            for (PodIP ip : p.getStatus().getPodIPs()) out.add(ip.getIp());
        }
        return out;
    }

    private Set<String> servicesSelecting(Pod pod) {
        return PodRules.servicesSelecting(services, pod);
    }

    // ---- reconcile ----

    /** Whether the Service exists, read live: a cache miss alone never deletes anything. */
    private boolean serviceExists(String ns, String name) {
        return client.services().inNamespace(ns).withName(name).get() != null;
    }

    @Override
    protected void reconcile(String key) {
        String ns = Keys.namespace(key);
        String name = Keys.name(key);
        Service svc = services.getIndexer().getByKey(key);
        if (svc == null) {
            // The cache may not have seen a Service created a moment ago (at start-up every Endpoints is synced once,
            // and the Service's watch event may still be on its way): deleting then would destroy the hand-written
            // Endpoints of a selector-less Service, which nothing recreates. The Service's add event syncs it again.
            if (serviceExists(ns, name)) return;
            client.endpoints().inNamespace(ns).withName(name).delete(); // a 404 yields an empty list
            triggerTimes.forget(key);
            replaced.remove(key);
            return;
        }
        if ("ExternalName".equals(svc.getSpec().getType())) return;
        Map<String, String> selector = svc.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) return; // see docs/controllers.md: {} is stored as "no selector"

        List<Pod> selected = new ArrayList<>();
        for (Pod p : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns)) {
            if (PodRules.selects(selector, p.getMetadata().getLabels())) selected.add(p);
        }
        Instant triggerTime = triggerTimes.compute(key, svc, selected);
        List<EndpointSubset> subsets = DesiredSubsets.compute(svc, selected);
        boolean truncated = Truncation.truncate(subsets, options.maxCapacity());

        Endpoints current = endpoints.getIndexer().getByKey(key);
        boolean creating = current == null;
        if (!creating && Objects.equals(replaced.get(key), current.getMetadata().getResourceVersion())) {
            throw new IllegalStateException("endpoints informer cache is out of date for " + key);
        }
        Map<String, String> svcLabels = svc.getMetadata().getLabels() == null ? Map.of() : svc.getMetadata().getLabels();
        if (!creating && isUpToDate(current, subsets, svcLabels, truncated)) return;

        Endpoints desired = creating
                ? new EndpointsBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata().build()
                : new EndpointsBuilder(current).build();
        desired.setSubsets(subsets);
        Map<String, String> labels = new LinkedHashMap<>(svcLabels);
        String clusterIP = svc.getSpec().getClusterIP();
        if (clusterIP == null || clusterIP.isEmpty() || "None".equals(clusterIP)) {
            labels.put(HEADLESS, "");
        } else {
            labels.remove(HEADLESS);
        }
        desired.getMetadata().setLabels(labels);
        Map<String, String> ann = desired.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(desired.getMetadata().getAnnotations());
        if (triggerTime != null) {
            ann.put(TRIGGER_TIME, TriggerTimeTracker.format(triggerTime));
        } else {
            ann.remove(TRIGGER_TIME);
        }
        if (truncated) {
            ann.put(OVER_CAPACITY, "truncated");
        } else {
            ann.remove(OVER_CAPACITY);
        }
        desired.getMetadata().setAnnotations(ann.isEmpty() ? null : ann);
        write(key, ns, current, desired);
    }

    private boolean isUpToDate(Endpoints current, List<EndpointSubset> subsets, Map<String, String> svcLabels,
            boolean truncated) {
        Map<String, String> have = current.getMetadata().getLabels() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(current.getMetadata().getLabels());
        have.remove(HEADLESS);
        Map<String, String> want = new LinkedHashMap<>(svcLabels);
        want.remove(HEADLESS);
        var ann = current.getMetadata().getAnnotations();
        String overCapacity = ann == null ? null : ann.get(OVER_CAPACITY);
        boolean annotationRight = truncated ? "truncated".equals(overCapacity) : overCapacity == null;
        return annotationRight && have.equals(want) && DesiredSubsets.sameSubsets(current.getSubsets(), subsets);
    }

    private void write(String key, String ns, Endpoints current, Endpoints desired) {
        try {
            if (current == null) {
                desired.getMetadata().setResourceVersion(null);
                client.endpoints().inNamespace(ns).resource(desired).create();
            } else {
                client.endpoints().inNamespace(ns).resource(desired).update();
                replaced.put(key, current.getMetadata().getResourceVersion());
            }
        } catch (KubernetesClientException e) {
            if (current == null && e.getCode() == 403 && namespaceTerminating(e)) {
                LOG.debug("not creating endpoints {}: namespace is terminating", key);
                return;
            }
            if (current == null) {
                events.warning(desired, "FailedToCreateEndpoint", "Failed to create endpoint for service %s: %s", key,
                        dev.roster.runtime.ApiErrors.message(e));
            } else {
                events.warning(desired, "FailedToUpdateEndpoint", "Failed to update endpoint %s: %s", key,
                        dev.roster.runtime.ApiErrors.message(e));
            }
            throw new KubernetesClientException((current == null ? "Failed to create endpoint for service " + key
                    : "Failed to update endpoint " + key) + ": " + e.getMessage(), e);
        }
    }

    private static boolean namespaceTerminating(KubernetesClientException e) {
        var status = e.getStatus();
        if (status == null || status.getDetails() == null || status.getDetails().getCauses() == null) return false;
        return status.getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
    }
}
