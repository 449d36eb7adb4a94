package dev.roster.controllers.namespace;

import dev.roster.controllers.ManagedController;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;

/**
 * The namespace controller: a namespace being deleted has everything in it deleted, and once
 * nothing is left its {@code kubernetes} finalizer is removed through the {@code finalize}
 * subresource, after which the API server deletes it.
 */
public final class NamespaceController extends ManagedController<NamespaceController> {
    static final String FINALIZER = "kubernetes";
    /** The namespaced kinds roster serves, as (apiVersion, kind); events last, as upstream leaves them. */
    static final List<String[]> CONTENT = List.of(
            new String[] {"apps/v1", "Deployment"}, new String[] {"apps/v1", "ReplicaSet"}, new String[] {"v1", "Pod"},
            new String[] {"v1", "Service"}, new String[] {"v1", "Endpoints"}, new String[] {"discovery.k8s.io/v1", "EndpointSlice"},
            new String[] {"v1", "ConfigMap"}, new String[] {"v1", "Secret"}, new String[] {"v1", "ServiceAccount"},
            new String[] {"coordination.k8s.io/v1", "Lease"}, new String[] {"v1", "Event"});
    private static final Duration RECHECK = Duration.ofMillis(500);

    private final KubernetesClient client;
    private final SharedIndexInformer<Namespace> namespaces;

    public NamespaceController(KubernetesClient client, SharedIndexInformer<Namespace> namespaces, Timers timers) {
        super("namespace-controller", "namespace-controller", timers, 2, namespaces);
        this.client = client;
        this.namespaces = namespaces;
        namespaces.addEventHandler(Handlers.enqueueSelf(queue));
    }

    @Override
    protected void reconcile(String name) throws Exception {
        Namespace ns = namespaces.getStore().getByKey(name);
        if (ns == null || ns.getMetadata().getDeletionTimestamp() == null) return;
        List<String> finalizers = ns.getSpec() == null ? null : ns.getSpec().getFinalizers();
        if (finalizers == null || !finalizers.contains(FINALIZER)) return;
        boolean empty = true;
        for (String[] kind : CONTENT) {
            var api = client.genericKubernetesResources(kind[0], kind[1]).inNamespace(name);
            var items = api.list().getItems();
            if (items.isEmpty()) continue;
            empty = false;
            for (var item : items) {
                if (item.getMetadata().getDeletionTimestamp() != null) continue;
                try {
                    api.withName(item.getMetadata().getName()).delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404 && e.getCode() != 409) throw e;
                }
            }
        }
        if (!empty) {
            // pods stop gracefully and finalizers take their time: look again shortly
            queue.addAfter(name, RECHECK);
            return;
        }
        finalizeNamespace(ns);
    }

    /** PUT …/namespaces/{name}/finalize with the kubernetes finalizer removed. */
    private void finalizeNamespace(Namespace ns) throws Exception {
        Namespace copy = client.getKubernetesSerialization().clone(ns);
        copy.getSpec().setFinalizers(copy.getSpec().getFinalizers().stream().filter(f -> !FINALIZER.equals(f)).toList());
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + ns.getMetadata().getName() + "/finalize";
        HttpRequest req = client.getHttpClient().newHttpRequestBuilder().uri(url)
                .put("application/json", client.getKubernetesSerialization().asJson(copy)).build();
        HttpResponse<String> resp = client.getHttpClient().sendAsync(req, String.class).get();
        if (resp.code() >= 300 && resp.code() != 404) {
            throw new IllegalStateException("finalize " + ns.getMetadata().getName() + ": " + resp.code() + " " + resp.body());
        }
    }
}
