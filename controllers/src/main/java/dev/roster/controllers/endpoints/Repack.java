package dev.roster.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Canonical Endpoints subsets: addresses deduplicated by (IP, targetRef UID), ports that reach exactly the same
 * addresses with the same readiness grouped into one subset, a not-ready sighting beating a ready one.
 * <p>Ordering: addresses by IP (byte-wise string order), then UID. Upstream orders ports and subsets by a hash of
 * a Go-specific dump; roster sorts ports by (name, port, protocol, appProtocol) and subsets by their first
 * address, then first port — a documented deviation that only shows in multi-subset / multi-port output.
 */
public final class Repack {
    private Repack() {}

    private record AddrKey(String ip, String uid) {}

    private record PortKey(String name, int port, String protocol, String appProtocol) {
        static final PortKey NONE = new PortKey("", -1, "", "");

        static PortKey of(EndpointPort p) {
            return new PortKey(Objects.toString(p.getName(), ""), p.getPort() == null ? 0 : p.getPort(),
                    Objects.toString(p.getProtocol(), ""), Objects.toString(p.getAppProtocol(), ""));
        }
    }

    static final Comparator<EndpointAddress> ADDRESS_ORDER = Comparator
            .comparing((EndpointAddress a) -> Objects.toString(a.getIp(), ""))
            .thenComparing(a -> a.getTargetRef() == null ? null : a.getTargetRef().getUid(),
                    Comparator.nullsFirst(Comparator.naturalOrder()));

    private static final Comparator<EndpointPort> PORT_ORDER = Comparator
            .comparing((EndpointPort p) -> Objects.toString(p.getName(), ""))
            .thenComparingInt(p -> p.getPort() == null ? 0 : p.getPort())
            .thenComparing(p -> Objects.toString(p.getProtocol(), ""))
            .thenComparing(p -> Objects.toString(p.getAppProtocol(), ""));

    private static final Comparator<EndpointSubset> SUBSET_ORDER = Comparator
            .comparing(Repack::firstIp)
            .thenComparing(s -> s.getPorts() == null || s.getPorts().isEmpty() ? null : s.getPorts().get(0),
                    Comparator.nullsFirst(PORT_ORDER));

    private static String firstIp(EndpointSubset s) {
        if (s.getAddresses() != null && !s.getAddresses().isEmpty()) return s.getAddresses().get(0).getIp();
        if (s.getNotReadyAddresses() != null && !s.getNotReadyAddresses().isEmpty()) return s.getNotReadyAddresses().get(0).getIp();
        return "";
    }

    public static List<EndpointSubset> repack(List<EndpointSubset> subsets) {
        Map<AddrKey, EndpointAddress> addresses = new LinkedHashMap<>();
        Map<PortKey, EndpointPort> ports = new LinkedHashMap<>();
        Map<PortKey, Map<AddrKey, Boolean>> readiness = new LinkedHashMap<>();
        for (EndpointSubset s : subsets) {
            List<EndpointPort> sp = s.getPorts() == null || s.getPorts().isEmpty() ? null : s.getPorts();
            List<PortKey> keys = new ArrayList<>();
            if (sp == null) {
                keys.add(PortKey.NONE);
            } else {
                for (EndpointPort p : sp) {
                    PortKey k = PortKey.of(p);
                    ports.putIfAbsent(k, p);
                    keys.add(k);
                }
            }
            for (PortKey k : keys) {
                Map<AddrKey, Boolean> m = readiness.computeIfAbsent(k, x -> new LinkedHashMap<>());
                record(addresses, m, s.getAddresses(), true);
                record(addresses, m, s.getNotReadyAddresses(), false);
            }
        }
        Map<Map<AddrKey, Boolean>, List<PortKey>> groups = new LinkedHashMap<>();
        for (var e : readiness.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            groups.computeIfAbsent(e.getValue(), x -> new ArrayList<>()).add(e.getKey());
        }
        List<EndpointSubset> out = new ArrayList<>();
        for (var g : groups.entrySet()) {
            List<EndpointAddress> ready = new ArrayList<>();
            List<EndpointAddress> notReady = new ArrayList<>();
            g.getKey().forEach((k, r) -> (r ? ready : notReady).add(addresses.get(k)));
            ready.sort(ADDRESS_ORDER);
            notReady.sort(ADDRESS_ORDER);
            List<EndpointPort> ps = new ArrayList<>();
            for (PortKey k : g.getValue()) {
                if (k != PortKey.NONE) ps.add(ports.get(k));
            }
            ps.sort(PORT_ORDER);
            EndpointSubset s = new EndpointSubset();
            s.setAddresses(ready.isEmpty() ? null : ready);
            s.setNotReadyAddresses(notReady.isEmpty() ? null : notReady);
            s.setPorts(ps.isEmpty() ? null : ps);
            out.add(s);
        }
        out.sort(SUBSET_ORDER);
        return out;
    }

    private static void record(Map<AddrKey, EndpointAddress> all, Map<AddrKey, Boolean> m, List<EndpointAddress> list,
            boolean ready) {
        if (list == null) return;
        for (EndpointAddress a : list) {
            AddrKey k = new AddrKey(a.getIp(), a.getTargetRef() == null ? null : a.getTargetRef().getUid());
            all.putIfAbsent(k, a);
            if (ready) {
                m.putIfAbsent(k, true);
            } else {
                m.put(k, false);
            }
        }
    }
}
