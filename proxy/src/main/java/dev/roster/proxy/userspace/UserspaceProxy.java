package dev.roster.proxy.userspace;

import dev.roster.proxy.model.EndpointSlices;
import dev.roster.proxy.model.ServiceName;
import dev.roster.runtime.Controller;
import dev.roster.runtime.ExecutorTimers;
import dev.roster.runtime.RateLimiter;
import dev.roster.runtime.Timers;
import dev.roster.runtime.WorkQueue;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The userspace proxy ({@code --proxy-mode userspace}): for every port of every Service it listens
 * on the ClusterIP, on the NodePort of each node address, on the LoadBalancer ingress IPs and the
 * external IPs, and forwards each new connection (or UDP client session) to an endpoint the
 * EndpointSlices list as ready.
 *
 * <p>Services and EndpointSlices come from informers (HTTP watches through the API server, like
 * every roster component). Their event handlers only enqueue the Service's key; one worker
 * reconciles a key by recomputing that Service's ports and endpoints and binding or closing
 * listeners to match. Endpoint changes swap the port's endpoint set atomically, so the next
 * connection already sees them; established connections are left alone. A failed bind is logged,
 * recorded as a Warning Event on the Service, and retried with back-off.
 *
 * <p>With connect-time balancing ({@link ConnectBalancing}) the same endpoint sets are also
 * written to the kernel's maps for every TCP IPv4 address the proxy listens on, so clients in the
 * attached cgroup connect straight to an endpoint; the listeners serve everyone else.
 */
public final class UserspaceProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserspaceProxy.class);
    private static final String BY_SERVICE = "service";

    private final KubernetesClient client;
    private final ProxyOptions options;
    private final BufferPool buffers;
    private final EventLoops loops;
    private final CompletableFuture<ZeroCopy.Availability> dataPath;
    private final CompletableFuture<ConnectBalancing.Availability> connectBalancing;
    private volatile PipePool pipes;
    private boolean pipesDecided;
    private volatile boolean closed;
    private final ServiceEvents events;
    private final Timers timers = new ExecutorTimers("userspace-proxy-timers");
    private final WorkQueue queue = new WorkQueue(timers, new RateLimiter.ExponentialFailure(Duration.ofSeconds(1), Duration.ofSeconds(30)));
    private final ListenerRegistry listeners;
    private final ConnectRoutes routes;
    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<EndpointSlice> slices;
    private ServiceReconciler reconciler;
    private Controller controller;

    public UserspaceProxy(KubernetesClient client, ProxyOptions options) {
        this.client = Objects.requireNonNull(client);
        this.options = options;
        this.buffers = new BufferPool(options.bufferBytes(), 64);
        ZeroCopy.Availability fixed = null;
        if (!options.zeroCopy()) fixed = new ZeroCopy.Availability(null, "turned off in ProxyOptions");
        else if (options.virtualThreads()) fixed = new ZeroCopy.Availability(null, "virtual threads would pin their carriers in splice");
        else if (options.eventLoops() > 0) fixed = new ZeroCopy.Availability(null, "selector loops copy");
        // setting up the native calls takes ~100 ms on a cold JVM: off the start-up path, done
        // long before the informers have synced and the first listener needs it
        dataPath = fixed != null ? CompletableFuture.completedFuture(fixed)
                : inBackground("userspace-proxy-zero-copy", ZeroCopy::shared, t -> new ZeroCopy.Availability(null, t.toString()));
        connectBalancing = !options.connectBalancing()
                ? CompletableFuture.completedFuture(new ConnectBalancing.Availability(null, "turned off in ProxyOptions"))
                : inBackground("userspace-proxy-connect-balancing",
                        () -> ConnectBalancing.attach(System.getProperty(ConnectBalancing.PROPERTY), options.connectCgroup()),
                        t -> new ConnectBalancing.Availability(null, t.toString()));
        this.events = new ServiceEvents(client, "kube-proxy");
        this.routes = new ConnectRoutes(() -> {
            ConnectBalancing.Availability a = connectBalancing.getNow(null);
            return a == null || !a.available() ? null : a.balancing();
        });
        try {
            this.loops = options.eventLoops() > 0 ? new EventLoops(options.eventLoops()) : null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.listeners = new ListenerRegistry((lk, balancer) -> lk.protocol().equals("UDP")
                ? new UdpListener(lk, balancer, options)
                : new TcpListener(lk, balancer, options, buffers, loops, pipes()));
    }

    /** {@code work} on a daemon thread of its own; {@code failed} turns what it throws into a result. */
    private static <T> CompletableFuture<T> inBackground(String name, Supplier<T> work, Function<Throwable, T> failed) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                f.complete(work.get());
            } catch (Throwable t) {
                f.complete(failed.apply(t));
            }
        });
        return f;
    }

    /** Starts the informers and the worker; returns at once (listeners appear once the caches have synced). */
    public synchronized UserspaceProxy start() {
        services = client.services().inAnyNamespace().runnableInformer(0);
        services.addEventHandler(enqueue(s -> queue.add(Cache.metaNamespaceKeyFunc(s))));
        slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        slices.addIndexers(Map.of(BY_SERVICE, s -> {
            ServiceName k = EndpointSlices.serviceOf(s);
            return k == null ? List.of() : List.of(k.toString());
        }));
        slices.addEventHandler(enqueue(s -> {
            ServiceName k = EndpointSlices.serviceOf(s);
            if (k != null) queue.add(k.toString());
        }));
        SharedIndexInformer<Service> svcs = services;
        SharedIndexInformer<EndpointSlice> sls = slices;
        reconciler = new ServiceReconciler(k -> svcs.getIndexer().getByKey(k), k -> sls.getIndexer().byIndex(BY_SERVICE, k),
                options.nodeAddresses(), listeners, routes, events);
        services.start();
        slices.start();
        ServiceReconciler r = reconciler;
        controller = Controller.of("userspace-proxy", queue, 1, Controller.RETRY_FOREVER, key -> {
            if (!r.reconcile(key)) throw new BindFailed(key);
        });
        // routes are written from the first reconcile on, so connect-time balancing is settled first
        controller.start(() -> hasSynced() && connectBalancing.isDone());
        dataPath.thenAccept(a -> LOG.info("userspace proxy: TCP data path: {}", a.describe()));
        if (options.connectBalancing()) {
            connectBalancing.thenAccept(a -> LOG.info("userspace proxy: connect-time balancing: {}", a.describe()));
        }
        return this;
    }

    private static <T> ResourceEventHandler<T> enqueue(Consumer<T> add) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) { add.accept(obj); }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                add.accept(oldObj); // a slice may have moved to another Service
                add.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) { add.accept(obj); }
        };
    }

    /** Whether both caches are complete, i.e. the proxy serves what the API server holds. */
    public boolean hasSynced() {
        return services != null && services.hasSynced() && slices != null && slices.hasSynced();
    }

    /** A listener of the Service could not bind (already logged and recorded as an Event): retried with back-off. */
    private static final class BindFailed extends RuntimeException {
        BindFailed(String key) {
            super("a listener of service " + key + " could not bind", null, false, false);
        }
    }

    /**
     * Whether clients connect straight to endpoints: e.g. {@code BPF connect4/connect6 on cgroup …}
     * or {@code off (why)}.
     */
    public String connectBalancing() {
        return connectBalancing.join().describe();
    }

    /**
     * How TCP bytes are moved: {@code zero-copy splice(2), …} or {@code copying (why not zero-copy)}.
     * Zero-copy needs Java 22+, Linux, {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} and
     * platform threads without event loops; {@code -Droster.proxy.splice=false} turns it off.
     */
    public String tcpDataPath() {
        return dataPath.join().describe();
    }

    /** The zero-copy path's pipe pool, or null to copy; decided when the first TCP listener opens. */
    private synchronized PipePool pipes() {
        if (!pipesDecided && !closed) {
            ZeroCopy.Availability a = dataPath.join();
            pipes = a.available() ? new PipePool(a.zeroCopy(), 64) : null;
            pipesDecided = true;
        }
        return pipes;
    }

    /** Where the proxy listens now, sorted, e.g. {@code 127.96.0.10:80/TCP}. */
    public Set<String> listening() {
        return listeners.listening();
    }

    /** The endpoints new connections to a Service port go to now ("ip:port"), by "portName/protocol". */
    public Map<String, List<String>> targets(String namespace, String name) {
        Map<String, List<String>> out = new HashMap<>();
        if (reconciler == null) return out;
        reconciler.balancers(namespace + "/" + name).forEach((id, b) ->
                out.put(id, b.targets().stream().map(Backend::toString).toList()));
        return out;
    }

    /** The last bind error per listener address that is still failing. */
    public Map<String, String> bindErrors() {
        return listeners.bindErrors();
    }

    @Override
    public synchronized void close() {
        if (controller != null) controller.close();
        queue.close();
        timers.close();
        if (services != null) services.close();
        if (slices != null) slices.close();
        listeners.closeAll();
        if (loops != null) loops.close();
        closed = true;
        if (pipes != null) pipes.close();
        connectBalancing.thenAccept(a -> {
            if (a.available()) a.balancing().close();
        });
    }

    /**
     * The endpoints ("ip:port") connect-time balancing sends new TCP connections to {@code ip:port}
     * to; empty when that address is left to the proxy's listener.
     */
    public List<String> connectRoute(String ip, int port) {
        return routes.routeOf(ip, port);
    }

    /** For tests: the set of owned listener keys of one Service. */
    Set<ListenerKey> ownedListeners(String key) {
        return listeners.owned(key);
    }
}
