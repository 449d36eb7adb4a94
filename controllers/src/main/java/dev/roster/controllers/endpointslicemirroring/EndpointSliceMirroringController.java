package dev.roster.controllers.endpointslicemirroring;

import dev.roster.controllers.ManagedController;
import dev.roster.controllers.endpointslice.SliceIndex;
import dev.roster.controllers.endpointslice.SliceTracker;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Keys;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The EndpointSlice mirroring controller (spec §4): a Service without a selector whose Endpoints were written by
 * hand gets those Endpoints copied into EndpointSlices labelled
 * {@code endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io}, one slice per address
 * family and port set, owned by the Endpoints. Endpoints labelled {@code endpointslice.kubernetes.io/skip-mirror:
 * "true"} or carrying a leader-election record are not mirrored; when the Endpoints or the Service goes away, or
 * the Service gains a selector, the mirrored slices are deleted.
 */
public final class EndpointSliceMirroringController extends ManagedController<EndpointSliceMirroringController> {
    public static final String CONTROLLER = MirrorPlanner.CONTROLLER;
    public static final String SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";
    static final String LEADER = "control-plane.alpha.kubernetes.io/leader";
    /** Upstream's --mirroring-max-endpoints-per-subset default. */
    public static final int MAX_PER_SUBSET = 1000;

    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Endpoints> endpoints;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final int maxPerSubset;
    private final MirrorPlanner planner;
    private final SliceTracker tracker = new SliceTracker();

    public EndpointSliceMirroringController(KubernetesClient client, SharedIndexInformer<Service> services,
            SharedIndexInformer<Endpoints> endpoints, SharedIndexInformer<EndpointSlice> slices, Timers timers, int workers, int maxPerSubset) {
        super("endpointslice-mirroring-controller", "endpointslice-mirroring-controller", timers, workers, services, endpoints, slices);
        this.client = client;
        this.services = services;
        this.endpoints = endpoints;
        this.slices = slices;
        this.maxPerSubset = maxPerSubset;
        this.planner = new MirrorPlanner(maxPerSubset);
        services.addEventHandler(Handlers.<Service>of(s -> {
            if (!hasSelector(s)) queue.add(Keys.of(s));
        }, (o, n) -> {
            if (hasSelector(o) != hasSelector(n)) queue.add(Keys.of(n));
        }, s -> {
            if (!hasSelector(s)) queue.add(Keys.of(s));
        }));
        endpoints.addEventHandler(Handlers.<Endpoints>of(e -> {
            if (shouldMirror(e)) queue.add(Keys.of(e));
        }, (o, n) -> {
            if (shouldMirror(o) || shouldMirror(n)) queue.add(Keys.of(n));
        }, e -> {
            if (shouldMirror(e)) queue.add(Keys.of(e));
        }));
        slices.addEventHandler(Handlers.<EndpointSlice>of(s -> enqueueMirrored(SliceIndex.managedServiceKey(s, CONTROLLER)), (o, n) -> {
            enqueueMirrored(SliceIndex.managedServiceKey(o, CONTROLLER));
            enqueueMirrored(SliceIndex.managedServiceKey(n, CONTROLLER));
        }, s -> enqueueMirrored(tracker.observedDeletion(s, CONTROLLER))));
    }

    /** A selector that is absent or empty selects nothing, so such a Service's Endpoints are the user's. */
    static boolean hasSelector(Service s) {
        Map<String, String> sel = s.getSpec() == null ? null : s.getSpec().getSelector();
        return sel != null && !sel.isEmpty();
    }

    static boolean shouldMirror(Endpoints e) {
        Map<String, String> labels = e.getMetadata().getLabels();
        Map<String, String> ann = e.getMetadata().getAnnotations();
        return !(labels != null && "true".equals(labels.get(SKIP_MIRROR))) && !(ann != null && ann.containsKey(LEADER));
    }

    private void enqueueMirrored(String serviceKey) {
        if (serviceKey != null) queue.add(serviceKey);
    }

    @Override
    protected void reconcile(String key) {
        Service svc = services.getStore().getByKey(key);
        Endpoints ep = endpoints.getStore().getByKey(key);
        List<EndpointSlice> mirrored = mirroredSlices(Keys.namespace(key), Keys.name(key));
        if (svc == null || hasSelector(svc) || ep == null || !shouldMirror(ep)) {
            tracker.forget(key);
            for (EndpointSlice s : mirrored) delete(key, s);
            return;
        }
        if (!tracker.upToDate(key, mirrored)) throw new IllegalStateException("EndpointSlice informer cache is out of date");
        MirrorDesired desired = MirrorDesired.of(ep, maxPerSubset);
        if (desired.invalid() > 0) {
            events.warning(ep, "InvalidIPAddress", "Skipped %d invalid IP addresses when mirroring to EndpointSlices", desired.invalid());
        }
        if (desired.overLimit() > 0) {
            events.warning(ep, "TooManyAddressesToMirror",
                    "A max of %d addresses can be mirrored to EndpointSlices per Endpoints subset. %d addresses were skipped",
                    maxPerSubset, desired.overLimit());
        }
        MirrorPlanner.Plan plan = planner.plan(ep, desired, mirrored);
        var api = client.discovery().v1().endpointSlices().inNamespace(ep.getMetadata().getNamespace());
        if (ep.getMetadata().getDeletionTimestamp() == null) {
            for (EndpointSlice s : plan.creates()) tracker.wrote(key, api.resource(s).create());
        }
        for (EndpointSlice s : plan.updates()) tracker.wrote(key, api.resource(s).update());
        for (EndpointSlice s : plan.deletes()) delete(key, s);
    }

    private List<EndpointSlice> mirroredSlices(String ns, String name) {
        return SliceIndex.of(slices, ns, name).stream().filter(s -> {
            Map<String, String> l = s.getMetadata().getLabels();
            return CONTROLLER.equals(l.get(MirrorPlanner.MANAGED_BY)) && s.getMetadata().getDeletionTimestamp() == null;
        }).toList();
    }

    private void delete(String key, EndpointSlice s) {
        try {
            client.discovery().v1().endpointSlices().inNamespace(s.getMetadata().getNamespace()).withName(s.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
        tracker.deleted(key, s.getMetadata().getName());
    }
}
