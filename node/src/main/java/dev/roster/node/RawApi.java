package dev.roster.node;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The few calls fabric8's DSL lacks: pods/binding and a DELETE with a uid precondition, over the
 * client's own HTTP; the bodies are model objects written by the client's serializer.
 */
public final class RawApi {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RawApi.class);
    private static final String JSON = "application/json";
    private final KubernetesClient client;
    private final String base;

    public RawApi(KubernetesClient client) {
        this.client = client;
        String url = client.getConfiguration().getMasterUrl();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** POSTs a Binding of the pod to the node; returns the HTTP status code (201 bound, 409 already bound, …). */
    public int bind(String namespace, String pod, String node) {
        return send(client.getHttpClient().newHttpRequestBuilder()
                .uri(podUri(namespace, pod) + "/binding")
                .post(JSON, json(binding(namespace, pod, node))).build());
    }

    /** DELETEs the pod with gracePeriodSeconds=0 if it still has this uid; returns the HTTP status code. */
    public int deleteNow(String namespace, String pod, String uid) {
        return send(client.getHttpClient().newHttpRequestBuilder()
                .uri(podUri(namespace, pod))
                .method("DELETE", JSON, json(deleteNow(uid))).build());
    }

    static Binding binding(String namespace, String pod, String node) {
        return new BindingBuilder()
                .withNewMetadata().withName(pod).withNamespace(namespace).endMetadata()
                .withNewTarget().withKind("Node").withApiVersion("v1").withName(node).endTarget()
                .build();
    }

    static DeleteOptions deleteNow(String uid) {
        return new DeleteOptionsBuilder().withGracePeriodSeconds(0L).withNewPreconditions().withUid(uid).endPreconditions().build();
    }

    private String json(Object body) {
        return client.getKubernetesSerialization().asJson(body);
    }

    private String podUri(String namespace, String pod) {
        return base + "/api/v1/namespaces/" + namespace + "/pods/" + pod;
    }

    private int send(HttpRequest req) {
        try {
            HttpResponse<String> r = client.getHttpClient().sendAsync(req, String.class).get(30, TimeUnit.SECONDS);
            int code = r.code();
            if (code == 422 || code == 400) LOG.warn("{} {}: {} {}", req.method(), req.uri(), code, r.body());
            if (code >= 500) throw new KubernetesClientException(req.method() + " " + req.uri() + ": " + code + " " + r.body());
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KubernetesClientException(req.method() + " " + req.uri() + " failed", e);
        }
    }
}
