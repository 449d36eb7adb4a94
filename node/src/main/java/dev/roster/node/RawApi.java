package dev.roster.node;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The few calls fabric8's DSL lacks: pods/binding and a DELETE with a uid precondition, over the client's own HTTP. */
public final class RawApi {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RawApi.class);
    private final KubernetesClient client;
    private final String base;

    public RawApi(KubernetesClient client) {
        this.client = client;
        String url = client.getConfiguration().getMasterUrl();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** POSTs a Binding of the pod to the node; returns the HTTP status code (201 bound, 409 already bound, …). */
    public int bind(String namespace, String pod, String node) {
        String body = "{\"kind\":\"Binding\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":" + quote(pod) + ",\"namespace\":"
                + quote(namespace) + "},\"target\":{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"name\":" + quote(node) + "}}";
        return send(client.getHttpClient().newHttpRequestBuilder()
                .uri(base + "/api/v1/namespaces/" + namespace + "/pods/" + pod + "/binding")
                .post("application/json", body).build());
    }

    /** DELETEs the pod with gracePeriodSeconds=0 if it still has this uid; returns the HTTP status code. */
    public int deleteNow(String namespace, String pod, String uid) {
        String body = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,\"preconditions\":{\"uid\":"
                + quote(uid) + "}}";
        return send(client.getHttpClient().newHttpRequestBuilder()
                .uri(base + "/api/v1/namespaces/" + namespace + "/pods/" + pod)
                .method("DELETE", "application/json", body).build());
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

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
