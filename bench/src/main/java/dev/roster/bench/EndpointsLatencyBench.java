package dev.roster.bench;

import dev.roster.apiserver.ApiServer;
import dev.roster.apiserver.ApiServerConfig;
import dev.roster.controllers.ControllerManager;
import dev.roster.runtime.Clients;
import dev.roster.storage.Storage;
import dev.roster.storage.StorageFactory;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Pod readiness → Endpoints / EndpointSlice latency: an in-process API server and controller manager (no node agent:
 * pod statuses are written directly through pods/status, as a kubelet would), S services × P pods. Flips one pod's
 * Ready condition per service in turn, open loop at a fixed rate, and times, from just before the status write, until
 * a watch (fabric8, HTTP) delivers the Endpoints and the EndpointSlice that reflect it. Prints p50/p90/p99/max.
 *
 * <p>Usage: {@code EndpointsLatencyBench [--services 100,1000] [--pods 10] [--flips 1000] [--rate 50] [--store sqlite|memory]}
 */
public final class EndpointsLatencyBench {
    /** A flip in flight: which pod, which way, when it was written; -1 until each view has caught up. */
    private static final class Flip {
        final String ip;
        final boolean ready;
        final long t0;
        volatile long endpointsAt = -1;
        volatile long sliceAt = -1;

        Flip(String ip, boolean ready, long t0) {
            this.ip = ip;
            this.ready = ready;
            this.t0 = t0;
        }
    }

    private final Map<String, Flip> pending = new ConcurrentHashMap<>(); // service name -> flip in flight
    private final List<Long> endpointsLatencies = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> sliceLatencies = Collections.synchronizedList(new ArrayList<>());
    /** How long the status write itself took (the API server's share of the latency). */
    private final List<Long> writeLatencies = Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) throws Exception {
        List<Integer> scales = List.of(100, 1000);
        int pods = 10, flips = 1000, rate = 50;
        String store = "sqlite";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--services" -> scales = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--pods" -> pods = Integer.parseInt(args[++i]);
                case "--flips" -> flips = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--store" -> store = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --services N[,N] --pods N --flips N --rate PER_SECOND --store sqlite|memory)");
            }
        }
        printHeader();
        for (int s : scales) new EndpointsLatencyBench().run(s, pods, flips, rate, store);
    }

    static void printHeader() {
        System.out.println("| services × pods | store | flips | rate/s | Endpoints p50 / p90 / p99 / max (ms) | EndpointSlice p50 / p90 / p99 / max (ms) | status write alone p50 / p90 / p99 / max (ms) | missed | target p99 |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
    }

    /** Runs one scale and prints its row; returns the EndpointSlice percentiles (for the network programming bench's sum). */
    String run(int services, int podsPer, int flips, int rate, String store) throws Exception {
        Path dir = Files.createTempDirectory("roster-eplat");
        try (Storage storage = StorageFactory.open(store, dir);
             ApiServer server = new ApiServer(ApiServerConfig.loopback(0), storage).start();
             KubernetesClient client = Clients.forUrl(server.url());
             KubernetesClient controllerClient = Clients.forUrl(server.url())) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("bench-node").endMetadata().build()).create();
            ControllerManager manager = new ControllerManager().start(controllerClient);
            List<Pod> flippable = populate(client, services, podsPer);
            awaitSettled(client, services, podsPer);
            var epWatch = client.endpoints().inNamespace("default").watch(new Watcher<Endpoints>() {
                @Override public void eventReceived(Action a, Endpoints ep) { onEndpoints(ep); }
                @Override public void onClose(WatcherException e) {}
            });
            var sliceWatch = client.discovery().v1().endpointSlices().inNamespace("default").watch(new Watcher<EndpointSlice>() {
                @Override public void eventReceived(Action a, EndpointSlice s) { onSlice(s); }
                @Override public void onClose(WatcherException e) {}
            });
            Thread.sleep(1000); // let the watches open
            int missed = drive(client, flippable, flips, rate);
            epWatch.close();
            sliceWatch.close();
            manager.close();
            System.out.printf(Locale.ROOT, "| %d × %d | %s | %d | %d | %s | %s | %s | %d | 50 ms |%n", services, podsPer, store, flips, rate,
                    percentiles(endpointsLatencies), percentiles(sliceLatencies), percentiles(writeLatencies), missed);
            return percentiles(sliceLatencies);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Services svc-i with P pods each, all Running and Ready except pod 0 of each service (the one flipped). */
    private static List<Pod> populate(KubernetesClient client, int services, int podsPer) throws Exception {
        List<Pod> flippable = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<Pod>> done = new ArrayList<>();
            for (int s = 0; s < services; s++) {
                String app = "svc-" + s;
                client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName(app).endMetadata()
                        .withNewSpec().addToSelector("app", app).addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec().build())
                        .create();
                for (int p = 0; p < podsPer; p++) {
                    int n = s * podsPer + p;
                    String ip = "127.244." + (n / 250) % 256 + "." + (n % 250 + 2);
                    boolean ready = p != 0;
                    done.add(pool.submit(() -> {
                        Pod pod = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                                .withName(app + "-" + n).addToLabels("app", app).endMetadata().withNewSpec().withNodeName("bench-node")
                                .addNewContainer().withName("c").withImage("nginx").addNewPort().withContainerPort(8080).endPort()
                                .endContainer().endSpec().build()).create();
                        pod.getStatus().setPhase("Running");
                        pod.getStatus().setPodIP(ip);
                        pod.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready")
                                .withStatus(ready ? "True" : "False").build()));
                        return client.pods().inNamespace("default").resource(pod).updateStatus();
                    }));
                }
            }
            for (int i = 0; i < done.size(); i++) {
                Pod p = done.get(i).get();
                if (i % podsPer == 0) flippable.add(p);
            }
        }
        return flippable;
    }

    /** Waits until every service's Endpoints lists its P−1 ready pods. */
    private static void awaitSettled(KubernetesClient client, int services, int podsPer) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            long ok = client.endpoints().inNamespace("default").list().getItems().stream()
                    .filter(ep -> ep.getSubsets() != null && ep.getSubsets().stream().mapToInt(s -> s.getAddresses().size()).sum() == podsPer - 1)
                    .count();
            if (ok == services) return;
            Thread.sleep(500);
        }
        throw new IllegalStateException("endpoints did not settle");
    }

    /** Flips pods round robin at {@code rate} per second; returns how many flips were not seen within 10 s. */
    private int drive(KubernetesClient client, List<Pod> pods, int flips, int rate) throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        boolean[] ready = new boolean[pods.size()];
        int missed = 0;
        long next = System.nanoTime();
        for (int i = 0; i < flips; i++) {
            int k = i % pods.size();
            Pod pod = pods.get(k);
            String svc = pod.getMetadata().getLabels().get("app");
            Flip previous = pending.get(svc);
            if (previous != null && !awaitDone(previous, 10_000)) missed++;
            pending.remove(svc);
            long now = System.nanoTime();
            if (now < next) TimeUnit.NANOSECONDS.sleep(next - now);
            next += interval;
            ready[k] = !ready[k];
            Pod fresh = client.pods().inNamespace("default").withName(pod.getMetadata().getName()).get();
            fresh.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus(ready[k] ? "True" : "False").build()));
            Flip f = new Flip(fresh.getStatus().getPodIP(), ready[k], System.nanoTime());
            pending.put(svc, f);
            client.pods().inNamespace("default").resource(fresh).updateStatus();
            writeLatencies.add(System.nanoTime() - f.t0);
        }
        for (Flip f : pending.values()) if (!awaitDone(f, 10_000)) missed++;
        return missed;
    }

    private static boolean awaitDone(Flip f, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (f.endpointsAt < 0 || f.sliceAt < 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(1);
        }
        return true;
    }

    private void onEndpoints(Endpoints ep) {
        long t = System.nanoTime();
        Flip f = pending.get(ep.getMetadata().getName());
        if (f == null || f.endpointsAt >= 0) return;
        boolean isReady = false;
        if (ep.getSubsets() != null) {
            for (EndpointSubset s : ep.getSubsets()) {
                if (s.getAddresses() != null && s.getAddresses().stream().anyMatch(a -> f.ip.equals(a.getIp()))) isReady = true;
            }
        }
        if (isReady == f.ready) {
            f.endpointsAt = t;
            endpointsLatencies.add(t - f.t0);
        }
    }

    private void onSlice(EndpointSlice s) {
        long t = System.nanoTime();
        String svc = s.getMetadata().getLabels() == null ? null : s.getMetadata().getLabels().get("kubernetes.io/service-name");
        Flip f = svc == null ? null : pending.get(svc);
        if (f == null || f.sliceAt >= 0 || s.getEndpoints() == null) return;
        for (var e : s.getEndpoints()) {
            if (e.getAddresses().contains(f.ip) && Boolean.valueOf(f.ready).equals(e.getConditions().getReady())) {
                f.sliceAt = t;
                sliceLatencies.add(t - f.t0);
                return;
            }
        }
    }

    /** "p50 / p90 / p99 / max" in ms. */
    static String percentiles(List<Long> nanos) {
        List<Long> v = new ArrayList<>(nanos);
        if (v.isEmpty()) return "n/a";
        Collections.sort(v);
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f", at(v, 0.50), at(v, 0.90), at(v, 0.99), v.get(v.size() - 1) / 1e6);
    }

    private static double at(List<Long> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }
}
