package dev.roster.controllers.endpointslice;

import dev.roster.controllers.ManagedController;
import dev.roster.controllers.endpoints.PodRules;
import dev.roster.controllers.endpointutil.TriggerTimeTracker;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The EndpointSlice controller: every Service with a selector gets EndpointSlices (at most 100
 * endpoints each) listing the matching pods with ready / serving / terminating conditions, packed
 * as upstream packs them; a Service without matching pods keeps one empty placeholder slice.
 * Slices carry a controller reference to their Service, so the garbage collector removes them
 * with it. Behaviour follows {@code shared/specs/controllers.md} §3.
 */
public final class EndpointSliceController extends ManagedController<EndpointSliceController> {
    public static final String SERVICE_NAME = "kubernetes.io/service-name";
    public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String CONTROLLER = "endpointslice-controller.k8s.io";
    static final String HEADLESS = "service.kubernetes.io/headless";
    private static final Set<String> RESERVED = Set.of(SERVICE_NAME, MANAGED_BY, HEADLESS);

    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<Node> nodes;
    private final int maxPerSlice;
    private final SliceTracker tracker = new SliceTracker();
    private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();

    public EndpointSliceController(KubernetesClient client, SharedIndexInformer<Service> services, SharedIndexInformer<Pod> pods,
            SharedIndexInformer<EndpointSlice> slices, SharedIndexInformer<Node> nodes, Timers timers, int workers, int maxPerSlice) {
        super("endpointslice-controller", "endpoint-slice-controller", timers, workers, services, pods, slices, nodes);
        this.client = client;
        this.services = services;
        this.pods = pods;
        this.slices = slices;
        this.nodes = nodes;
        this.maxPerSlice = maxPerSlice;
        services.addEventHandler(Handlers.enqueueSelf(queue));
        pods.addEventHandler(Handlers.<Pod>of(this::enqueueServicesOf, (o, n) -> {
            enqueueServicesOf(o);
            enqueueServicesOf(n);
        }, this::enqueueServicesOf));
        slices.addEventHandler(Handlers.<EndpointSlice>of(s -> {}, (o, n) -> enqueueManaged(SliceIndex.managedServiceKey(n, CONTROLLER)),
                s -> enqueueManaged(tracker.observedDeletion(s, CONTROLLER))));
    }

    private void enqueueServicesOf(Pod pod) {
        PodRules.servicesSelecting(services, pod).forEach(queue::add);
    }

    /** A managed slice changed or vanished behind the controller's back: re-sync its Service. */
    private void enqueueManaged(String serviceKey) {
        if (serviceKey != null) queue.add(serviceKey);
    }

    @Override
    protected void reconcile(String key) {
        Service svc = services.getStore().getByKey(key);
        if (svc == null) {
            tracker.forget(key);
            triggerTimes.forget(key); // the garbage collector deletes the slices through their owner reference
            return;
        }
        Map<String, String> selector = svc.getSpec().getSelector();
        if ("ExternalName".equals(svc.getSpec().getType()) || selector == null || selector.isEmpty()) return;
        String ns = svc.getMetadata().getNamespace();
        Map<String, Node> nodeByName = new HashMap<>();
        for (Node n : nodes.getStore().list()) nodeByName.put(n.getMetadata().getName(), n);
        List<EndpointSlice> owned = new ArrayList<>();
        for (EndpointSlice s : SliceIndex.of(slices, ns, svc.getMetadata().getName())) {
            Map<String, String> l = s.getMetadata().getLabels();
            if (CONTROLLER.equals(l.get(MANAGED_BY)) && s.getMetadata().getDeletionTimestamp() == null) {
                owned.add(s);
            }
        }
        if (!tracker.upToDate(key, owned)) {
            throw new IllegalStateException("EndpointSlice informer cache is out of date");
        }
        List<Pod> selected = new ArrayList<>();
        for (Pod p : pods.getIndexer().byIndex(io.fabric8.kubernetes.client.informers.cache.Cache.NAMESPACE_INDEX, ns)) {
            if (PodRules.selects(selector, p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels())) selected.add(p);
        }
        // computed once per sync (not per family): the tracker forgets what it reported
        Instant triggerTime = triggerTimes.compute(key, svc, selected);
        for (String family : families(svc)) {
            String addressType = family.equals("IPv6") ? "IPv6" : "IPv4";
            Map<String, SlicePlanner.Group> desired = new LinkedHashMap<>();
            for (Pod p : selected) {
                if (!PodRules.shouldBeInEndpoints(p, true)) continue;
                Endpoint e = SliceEndpoints.endpoint(svc, p, addressType.equals("IPv6"), nodeByName);
                if (e == null) continue;
                List<EndpointPort> ports = SliceEndpoints.ports(svc, p);
                desired.computeIfAbsent(SlicePlanner.portKey(ports), k -> new SlicePlanner.Group(ports, new LinkedHashMap<>()))
                        .endpoints().put(SliceEndpoints.identity(e), e);
            }
            List<EndpointSlice> existing = owned.stream().filter(s -> addressType.equals(s.getAddressType())).toList();
            SlicePlanner planner = new SlicePlanner(ns, svc.getMetadata().getName() + "-", addressType, labels(svc), owner(svc), maxPerSlice);
            try {
                apply(key, planner.plan(desired, existing), svc, triggerTime);
            } catch (KubernetesClientException e) {
                events.warning(svc, "FailedToUpdateEndpointSlices", "Error updating Endpoint Slices for Service %s: %s", key,
                        dev.roster.runtime.ApiErrors.message(e));
                throw e;
            }
        }
    }

    private void apply(String key, SlicePlanner.Plan plan, Service svc, Instant triggerTime) {
        var api = client.discovery().v1().endpointSlices().inNamespace(svc.getMetadata().getNamespace());
        if (svc.getMetadata().getDeletionTimestamp() == null) {
            for (EndpointSlice s : plan.creates()) tracker.wrote(key, api.resource(stamp(s, triggerTime)).create());
        }
        for (EndpointSlice s : plan.updates()) tracker.wrote(key, api.resource(stamp(s, triggerTime)).update());
        for (EndpointSlice s : plan.deletes()) {
            try {
                api.withName(s.getMetadata().getName()).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) throw e;
            }
            tracker.deleted(key, s.getMetadata().getName());
        }
    }

    /**
     * Every slice written carries the trigger time of this sync, or loses a stale one when nothing new triggered
     * it (spec §3.3 step 6); kube-proxy measures its network-programming latency from it.
     */
    static EndpointSlice stamp(EndpointSlice s, Instant triggerTime) {
        Map<String, String> ann = s.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(s.getMetadata().getAnnotations());
        if (triggerTime != null) ann.put(TriggerTimeTracker.ANNOTATION, TriggerTimeTracker.format(triggerTime));
        else ann.remove(TriggerTimeTracker.ANNOTATION);
        s.getMetadata().setAnnotations(ann.isEmpty() ? null : ann);
        return s;
    }

    private static List<String> families(Service svc) {
        List<String> f = svc.getSpec().getIpFamilies();
        return f == null || f.isEmpty() ? List.of("IPv4") : f;
    }

    /** Service labels minus the reserved ones, plus the slice's own (spec §3.6). */
    static Map<String, String> labels(Service svc) {
        Map<String, String> out = new LinkedHashMap<>();
        if (svc.getMetadata().getLabels() != null) {
            svc.getMetadata().getLabels().forEach((k, v) -> {
                if (!RESERVED.contains(k)) out.put(k, v);
            });
        }
        out.put(SERVICE_NAME, svc.getMetadata().getName());
        out.put(MANAGED_BY, CONTROLLER);
        String ip = svc.getSpec().getClusterIP();
        if (ip == null || ip.isEmpty() || ip.equals("None")) out.put(HEADLESS, "");
        return out;
    }

    private static OwnerReference owner(Service svc) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service").withName(svc.getMetadata().getName())
                .withUid(svc.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    }
}
