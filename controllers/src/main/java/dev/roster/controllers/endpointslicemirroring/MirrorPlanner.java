package dev.roster.controllers.endpointslicemirroring;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the desired groups of one Endpoints object and its existing mirrored slices into writes (spec §4.2 step 3):
 * one slice per group; extra slices of a group and slices of groups no longer wanted are deleted; the kept slice is
 * rewritten whole unless its endpoints, labels and annotations already match; a create paired with a delete of the
 * same address type becomes an update of the deleted slice.
 */
final class MirrorPlanner {
    static final String SERVICE_NAME = "kubernetes.io/service-name";
    static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    static final String CONTROLLER = "endpointslicemirroring-controller.k8s.io";
    static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    record Plan(List<EndpointSlice> creates, List<EndpointSlice> updates, List<EndpointSlice> deletes) {
        boolean isEmpty() { return creates.isEmpty() && updates.isEmpty() && deletes.isEmpty(); }
    }

    private final int maxPerSlice;

    MirrorPlanner(int maxPerSlice) { this.maxPerSlice = maxPerSlice; }

    Plan plan(Endpoints endpoints, MirrorDesired desired, List<EndpointSlice> existing) {
        Map<String, List<EndpointSlice>> existingByKey = new LinkedHashMap<>();
        for (EndpointSlice s : existing) {
            existingByKey.computeIfAbsent(MirrorDesired.key(s.getAddressType(), s.getPorts()), k -> new ArrayList<>()).add(s);
        }
        List<EndpointSlice> creates = new ArrayList<>();
        List<EndpointSlice> updates = new ArrayList<>();
        List<EndpointSlice> deletes = new ArrayList<>();
        for (Map.Entry<String, MirrorDesired.Group> e : desired.groups().entrySet()) {
            MirrorDesired.Group g = e.getValue();
            List<EndpointSlice> have = existingByKey.getOrDefault(e.getKey(), List.of());
            if (g.endpoints().isEmpty()) {
                deletes.addAll(have);
                continue;
            }
            if (!have.isEmpty()) {
                deletes.addAll(have.subList(1, have.size()));
                if (matches(endpoints, have.get(0), g)) continue;
            }
            EndpointSlice slice = build(endpoints, g, have.isEmpty() ? null : have.get(0));
            (have.isEmpty() ? creates : updates).add(slice);
        }
        existingByKey.forEach((k, slices) -> {
            if (!desired.groups().containsKey(k)) deletes.addAll(slices);
        });
        recycle(creates, updates, deletes);
        return new Plan(creates, updates, deletes);
    }

    /** Same endpoints (as a set, compared field by field), same copied labels and annotations. */
    private static boolean matches(Endpoints endpoints, EndpointSlice slice, MirrorDesired.Group g) {
        List<Endpoint> have = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
        if (have.size() != g.endpoints().size()) return false;
        for (Endpoint e : have) {
            if (!Objects.equals(g.endpoints().get(MirrorDesired.identity(e)), e)) return false;
        }
        Map<String, String> sliceLabels = new HashMap<>(orEmpty(slice.getMetadata().getLabels()));
        sliceLabels.remove(SERVICE_NAME);
        sliceLabels.remove(MANAGED_BY);
        return sliceLabels.equals(orEmpty(endpoints.getMetadata().getLabels()))
                && copiedAnnotations(endpoints).equals(orEmpty(slice.getMetadata().getAnnotations()));
    }

    private EndpointSlice build(Endpoints endpoints, MirrorDesired.Group g, EndpointSlice reuse) {
        String name = endpoints.getMetadata().getName();
        Map<String, String> labels = new LinkedHashMap<>(orEmpty(endpoints.getMetadata().getLabels()));
        labels.put(SERVICE_NAME, name);
        labels.put(MANAGED_BY, CONTROLLER);
        List<Endpoint> list = new ArrayList<>(g.endpoints().values());
        if (list.size() > maxPerSlice) list = new ArrayList<>(list.subList(0, maxPerSlice));
        EndpointSlice s = new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace(endpoints.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(copiedAnnotations(endpoints))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Endpoints").withName(name)
                        .withUid(endpoints.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withAddressType(g.addressType())
                .withPorts(new ArrayList<>(g.ports()))
                .withEndpoints(list)
                .build();
        if (reuse != null) {
            s.getMetadata().setName(reuse.getMetadata().getName());
            s.getMetadata().setResourceVersion(reuse.getMetadata().getResourceVersion());
        } else {
            s.getMetadata().setGenerateName(prefix(name));
        }
        return s;
    }

    /** {@code <name>-}, or the bare name when the dash would make it an invalid prefix (too long). */
    static String prefix(String name) {
        return name.length() + 1 > 253 - 5 ? name : name + "-";
    }

    static Map<String, String> copiedAnnotations(Endpoints endpoints) {
        Map<String, String> out = new LinkedHashMap<>(orEmpty(endpoints.getMetadata().getAnnotations()));
        out.remove(TRIGGER_TIME);
        out.remove(LAST_APPLIED);
        return out;
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }

    /** Pairs creates with deletes of the same address type: each pair becomes an update keeping the old name. */
    private static void recycle(List<EndpointSlice> creates, List<EndpointSlice> updates, List<EndpointSlice> deletes) {
        for (var it = creates.iterator(); it.hasNext(); ) {
            EndpointSlice c = it.next();
            EndpointSlice d = deletes.stream().filter(x -> Objects.equals(x.getAddressType(), c.getAddressType())).findFirst().orElse(null);
            if (d == null) continue;
            deletes.remove(d);
            it.remove();
            c.getMetadata().setGenerateName(null);
            c.getMetadata().setName(d.getMetadata().getName());
            c.getMetadata().setResourceVersion(d.getMetadata().getResourceVersion());
            updates.add(c);
        }
    }
}
