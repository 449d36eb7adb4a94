package dev.roster.controllers.testing;

import dev.roster.apiserver.ApiServerConfig;
import dev.roster.runtime.Clients;
import dev.roster.testing.InProcessApi;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A real in-process API server over memory storage, a fabric8 client for it, and a loader that creates vector
 * objects the way a cluster would have them: pods created, then their status written through the status
 * subresource, and pods meant to be terminating held by a finalizer and deleted.
 */
public final class ApiWorld implements AutoCloseable {
    public static final String HOLD = "test.roster.dev/hold";

    private final InProcessApi api = new InProcessApi(ApiServerConfig.loopback(0), Clients::forUrl);
    public final KubernetesClient client = api.client;
    private final Set<String> namespaces = new HashSet<>();

    public void namespace(String ns) {
        if (ns == null || !namespaces.add(ns) || ns.equals("default")) return;
        try {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
        }
    }

    /** Creates the objects (nodes, services, endpoints, then pods), optionally moving them to namespace {@code ns}. */
    @SuppressWarnings("unchecked")
    public void load(List<Map<String, Object>> objects, String ns) {
        var ser = client.getKubernetesSerialization();
        List<Map<String, Object>> pods = new ArrayList<>();
        for (Map<String, Object> raw : objects) {
            Map<String, Object> o = deepCopy(raw);
            Map<String, Object> meta = (Map<String, Object>) o.get("metadata");
            meta.remove("resourceVersion");
            if (ns != null && meta.containsKey("namespace")) meta.put("namespace", ns);
            namespace((String) meta.get("namespace"));
            switch ((String) o.get("kind")) {
                case "Node" -> client.nodes().resource(ser.convertValue(o, Node.class)).create();
                case "Service" -> client.services().resource(ser.convertValue(serviceFixup(o), Service.class)).create();
                case "Endpoints" -> client.endpoints().resource(ser.convertValue(stripEmptyNodeNames(o), Endpoints.class)).create();
                case "Pod" -> pods.add(o);
                default -> throw new IllegalArgumentException("unexpected kind " + o.get("kind"));
            }
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (Map<String, Object> o : pods) done.add(pool.submit(() -> createPod(o)));
            for (Future<?> f : done) f.get();
        } catch (Exception e) {
            throw new IllegalStateException("creating pods", e);
        }
    }

    /**
     * Fixture services are not always valid API objects: clusterIPs outside roster's range are dropped (the server
     * allocates one), and an ExternalName service gets the externalName validation requires.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> serviceFixup(Map<String, Object> o) {
        Map<String, Object> spec = (Map<String, Object>) o.computeIfAbsent("spec", k -> new LinkedHashMap<>());
        Object ip = spec.get("clusterIP");
        if (ip != null && !"None".equals(ip)) spec.remove("clusterIP");
        if ("ExternalName".equals(spec.get("type"))) {
            spec.putIfAbsent("externalName", "example.com");
            spec.remove("clusterIP");
        }
        return o;
    }

    /** Fixture addresses carry {@code nodeName: ""}, which API validation rejects (it must be a DNS subdomain). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> stripEmptyNodeNames(Map<String, Object> o) {
        if (o.get("subsets") instanceof List<?> subsets) {
            for (Object s : subsets) {
                for (String f : List.of("addresses", "notReadyAddresses")) {
                    if (((Map<String, Object>) s).get(f) instanceof List<?> l) {
                        for (Object a : l) ((Map<String, Object>) a).remove("nodeName", "");
                    }
                }
            }
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private void createPod(Map<String, Object> o) {
        var ser = client.getKubernetesSerialization();
        Map<String, Object> meta = (Map<String, Object>) o.get("metadata");
        boolean terminating = meta.remove("deletionTimestamp") != null;
        if (terminating) meta.put("finalizers", new ArrayList<>(List.of(HOLD)));
        Object status = o.remove("status");
        // fixtures omit the image, which validation requires
        if (((Map<String, Object>) o.get("spec")).get("containers") instanceof List<?> cs) {
            for (Object c : cs) ((Map<String, Object>) c).putIfAbsent("image", "fixture");
        }
        Pod pod = client.pods().resource(ser.convertValue(o, Pod.class)).create();
        if (status != null) {
            pod.setStatus(ser.convertValue(status, PodStatus.class));
            pod = client.pods().resource(pod).updateStatus();
        }
        if (terminating) client.pods().resource(pod).delete();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, copy(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) return deepCopy((Map<String, Object>) m);
        if (v instanceof List<?> l) return new ArrayList<>(l.stream().map(ApiWorld::copy).toList());
        return v;
    }

    public Endpoints endpoints(String ns, String name) {
        return client.endpoints().inNamespace(ns).withName(name).get();
    }

    public Service service(String ns, String name) {
        return client.services().inNamespace(ns).withName(name).get();
    }

    @Override
    public void close() {
        api.close();
    }
}
