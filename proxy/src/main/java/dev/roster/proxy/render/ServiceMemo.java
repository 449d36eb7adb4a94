package dev.roster.proxy.render;

import dev.roster.proxy.model.EndpointInfo;
import dev.roster.proxy.model.ServicePortInfo;
import dev.roster.proxy.model.ServicePortName;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a renderer remembers per service port between renders, found cheaply: an unchanged service is
 * one whose {@link ServicePortInfo} and endpoint list are the very objects of the last render (callers
 * hand in the same objects for services that did not change). Services are looked up by position in the
 * last render's order first (an identity check), by name only when that misses.
 *
 * <p>One render: {@link #begin}, then {@link #visit} for each service in order, then {@link #end}.
 */
public final class ServiceMemo<E extends ServiceMemo.Entry> {
    /** The remembered part of one service port; renderers extend it with what they computed. */
    public static class Entry {
        private ServicePortInfo info;
        private List<EndpointInfo> endpoints;
        private int generation;
        private boolean unchanged;

        /** Whether this render's service and endpoints are the objects of the previous render. */
        public boolean unchanged() {
            return unchanged;
        }
    }

    private final Supplier<E> create;
    private final Map<ServicePortName, E> byName = new HashMap<>();
    private Entry[] order = new Entry[0];
    private Entry[] next = order;
    private int generation, position;

    public ServiceMemo(Supplier<E> create) {
        this.create = create;
    }

    /** Starts a render of {@code services} service ports. */
    public void begin(int services) {
        generation++;
        next = new Entry[services];
        position = 0;
    }

    /** The entry of the next service port in render order, {@link Entry#unchanged()} set for this render. */
    @SuppressWarnings("unchecked")
    public E visit(ServicePortInfo svc, List<EndpointInfo> endpoints) {
        Entry r = position < order.length ? order[position] : null;
        if (r == null || r.info != svc) r = byName.get(svc.name());
        if (r == null) {
            r = create.get();
            byName.put(svc.name(), (E) r);
        }
        r.unchanged = r.info == svc && r.endpoints == endpoints;
        r.info = svc;
        r.endpoints = endpoints;
        r.generation = generation;
        next[position++] = r;
        return (E) r;
    }

    /** Ends the render: services not visited are forgotten, each handed to {@code gone} first. */
    public void end(Consumer<E> gone) {
        order = next;
        if (byName.isEmpty()) return;
        var it = byName.values().iterator();
        while (it.hasNext()) {
            E r = it.next();
            if (((Entry) r).generation != generation) {
                gone.accept(r);
                it.remove();
            }
        }
    }
}
