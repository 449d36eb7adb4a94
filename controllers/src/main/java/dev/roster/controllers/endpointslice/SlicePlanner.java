package dev.roster.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plans the slice writes for one Service and address type with upstream's packing heuristic
 * (spec §3.4): keep endpoints where they are, refill slices that changed (fullest first), put a
 * small remainder into an unchanged slice only if it fits whole, otherwise open new slices; keep
 * or create one empty placeholder; turn create+delete pairs into updates.
 */
final class SlicePlanner {
    /** The writes to make; created slices have no name yet (generateName). */
    record Plan(List<EndpointSlice> creates, List<EndpointSlice> updates, List<EndpointSlice> deletes) {
        boolean isEmpty() {
            return creates.isEmpty() && updates.isEmpty() && deletes.isEmpty();
        }
    }

    /** The endpoints wanted under one port set. */
    record Group(List<EndpointPort> ports, LinkedHashMap<String, Endpoint> endpoints) {}

    private final String namespace;
    private final String generateName;
    private final String addressType;
    private final Map<String, String> labels;
    private final OwnerReference owner;
    private final int max;

    SlicePlanner(String namespace, String generateName, String addressType, Map<String, String> labels,
            OwnerReference owner, int max) {
        this.namespace = namespace;
        this.generateName = generateName;
        this.addressType = addressType;
        this.labels = labels;
        this.owner = owner;
        this.max = max;
    }

    static String portKey(List<EndpointPort> ports) {
        List<EndpointPort> sorted = new ArrayList<>(ports);
        sorted.sort(SliceEndpoints.PORT_ORDER);
        StringBuilder b = new StringBuilder();
        for (EndpointPort p : sorted) b.append(p.getName()).append('/').append(p.getPort()).append('/')
                .append(p.getProtocol()).append('/').append(p.getAppProtocol()).append(';');
        return b.toString();
    }

    Plan plan(Map<String, Group> desired, List<EndpointSlice> existing) {
        List<EndpointSlice> creates = new ArrayList<>();
        List<EndpointSlice> updates = new ArrayList<>();
        List<EndpointSlice> deletes = new ArrayList<>();
        Map<String, List<EndpointSlice>> byKey = new LinkedHashMap<>();
        for (EndpointSlice s : existing) {
            byKey.computeIfAbsent(portKey(s.getPorts() == null ? List.of() : s.getPorts()), k -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<String, Group> e : desired.entrySet()) {
            List<EndpointSlice> slices = byKey.getOrDefault(e.getKey(), List.of());
            byPortMapping(e.getValue(), slices, creates, updates, deletes);
        }
        for (Map.Entry<String, List<EndpointSlice>> e : byKey.entrySet()) {
            if (!desired.containsKey(e.getKey())) deletes.addAll(e.getValue());
        }
        if (creates.isEmpty() && updates.isEmpty() && deletes.size() == existing.size()) {
            placeholder(creates, deletes);
        }
        recycle(creates, updates, deletes);
        return new Plan(creates, updates, deletes);
    }

    private void byPortMapping(Group group, List<EndpointSlice> slices, List<EndpointSlice> creates,
            List<EndpointSlice> updates, List<EndpointSlice> deletes) {
        LinkedHashMap<String, Endpoint> pending = new LinkedHashMap<>(group.endpoints());
        List<EndpointSlice> changed = new ArrayList<>();
        List<EndpointSlice> unchanged = new ArrayList<>();
        for (EndpointSlice s : slices) {
            List<Endpoint> kept = new ArrayList<>();
            boolean dirty = !Objects.equals(labelsOf(s), labels);
            for (Endpoint e : s.getEndpoints() == null ? List.<Endpoint>of() : s.getEndpoints()) {
                Endpoint want = pending.remove(SliceEndpoints.identity(e));
                if (want == null) {
                    dirty = true;
                } else {
                    if (!sameEndpoint(e, want)) dirty = true;
                    kept.add(want);
                }
            }
            if (kept.isEmpty() && dirty) {
                deletes.add(s);
            } else if (dirty) {
                changed.add(withEndpoints(s, kept, group.ports()));
            } else {
                unchanged.add(s);
            }
        }
        changed.sort(Comparator.comparingInt((EndpointSlice s) -> s.getEndpoints().size()).reversed());
        for (EndpointSlice s : changed) fill(s, pending);
        updates.addAll(changed);
        while (!pending.isEmpty()) {
            EndpointSlice target = pending.size() < max ? closestToFull(unchanged, pending.size()) : null;
            if (target != null) {
                unchanged.remove(target);
                EndpointSlice s = withEndpoints(target, new ArrayList<>(target.getEndpoints()), group.ports());
                fill(s, pending);
                updates.add(s);
            } else {
                EndpointSlice s = fresh(group.ports());
                fill(s, pending);
                creates.add(s);
            }
        }
    }

    /** The unchanged slice that the remainder fits into whole and fills the most; null if none. */
    private EndpointSlice closestToFull(List<EndpointSlice> unchanged, int remainder) {
        EndpointSlice best = null;
        int bestSize = -1;
        for (EndpointSlice s : unchanged) {
            int size = s.getEndpoints().size() + remainder;
            if (size > max) continue;
            if (size == max) return s;
            if (size > bestSize) {
                best = s;
                bestSize = size;
            }
        }
        return best;
    }

    private void fill(EndpointSlice s, LinkedHashMap<String, Endpoint> pending) {
        Iterator<Map.Entry<String, Endpoint>> it = pending.entrySet().iterator();
        while (it.hasNext() && s.getEndpoints().size() < max) {
            s.getEndpoints().add(it.next().getValue());
            it.remove();
        }
    }

    /**
     * With nothing to create and nothing left standing, one empty slice remains so consumers can
     * tell "no endpoints" from "not synced"; an equivalent existing placeholder is kept as is.
     */
    private void placeholder(List<EndpointSlice> creates, List<EndpointSlice> deletes) {
        if (deletes.size() == 1 && isPlaceholder(deletes.get(0))) {
            deletes.clear();
            return;
        }
        creates.add(fresh(List.of()));
    }

    private boolean isPlaceholder(EndpointSlice s) {
        return (s.getPorts() == null || s.getPorts().isEmpty()) && (s.getEndpoints() == null || s.getEndpoints().isEmpty())
                && Objects.equals(labelsOf(s), labels) && addressType.equals(s.getAddressType());
    }

    /** A create and a delete of the same address type become one update of the deleted slice. */
    private static void recycle(List<EndpointSlice> creates, List<EndpointSlice> updates, List<EndpointSlice> deletes) {
        while (!creates.isEmpty() && !deletes.isEmpty()) {
            EndpointSlice c = creates.remove(creates.size() - 1);
            EndpointSlice d = deletes.remove(deletes.size() - 1);
            c.getMetadata().setName(d.getMetadata().getName());
            c.getMetadata().setGenerateName(d.getMetadata().getGenerateName());
            c.getMetadata().setResourceVersion(d.getMetadata().getResourceVersion());
            c.getMetadata().setUid(d.getMetadata().getUid());
            updates.add(c);
        }
    }

    private EndpointSlice fresh(List<EndpointPort> ports) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withGenerateName(generateName)
                .withNamespace(namespace)
                .withLabels(new LinkedHashMap<>(labels))
                .withOwnerReferences(owner)
                .endMetadata()
                .withAddressType(addressType)
                .withPorts(new ArrayList<>(ports))
                .withEndpoints(new ArrayList<>())
                .build();
    }

    private EndpointSlice withEndpoints(EndpointSlice s, List<Endpoint> endpoints, List<EndpointPort> ports) {
        return new EndpointSliceBuilder(s)
                .editMetadata().withLabels(new LinkedHashMap<>(labels)).endMetadata()
                .withPorts(new ArrayList<>(ports))
                .withEndpoints(endpoints)
                .build();
    }

    private static Map<String, String> labelsOf(EndpointSlice s) {
        return s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
    }

    /** Changes that make a kept endpoint worth a write (hostname and addresses are its identity). */
    static boolean sameEndpoint(Endpoint a, Endpoint b) {
        return Objects.equals(a.getNodeName(), b.getNodeName())
                && Objects.equals(a.getZone(), b.getZone())
                && Objects.equals(a.getConditions(), b.getConditions())
                && Objects.equals(a.getTargetRef() == null ? null : a.getTargetRef().getUid(),
                        b.getTargetRef() == null ? null : b.getTargetRef().getUid());
    }
}
