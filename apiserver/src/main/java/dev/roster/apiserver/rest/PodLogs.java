package dev.roster.apiserver.rest;

import dev.roster.api.Json;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.http.RestRequest;
import dev.roster.apiserver.http.RestResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * pods/log: checks the request against the pod as upstream does (which container, whether it has started, whether
 * a previous run exists), then streams the text from the log endpoint of the pod's node, found in the Node's
 * {@code status.daemonEndpoints.kubeletEndpoint.Port} on its InternalIP.
 */
final class PodLogs {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ResourceStore store;
    private final ResourceType nodes;

    private final String kubeletHost;

    PodLogs(ResourceStore store, ResourceType nodes, String kubeletHost) {
        this.kubeletHost = kubeletHost;
        this.store = store;
        this.nodes = nodes;
    }

    RestResponse serve(RequestTarget t, RestRequest req) {
        if (!req.method().equals("GET")) throw ApiException.methodNotAllowed();
        LogOptions opts = LogOptions.of(req, t.name());
        ObjectNode pod = store.get(new RequestTarget(t.type(), t.namespace(), t.name(), null)).object();
        String container = container(pod, t.name(), req.param("container"));
        boolean previous = opts.previous();
        checkStatus(pod, t.name(), container, previous);
        String nodeName = Json.text(pod, "spec", "nodeName");
        if (nodeName == null || nodeName.isEmpty()) throw ApiException.badRequest("pod " + t.name() + " does not have a host assigned");
        ObjectNode node = store.get(new RequestTarget(nodes, null, nodeName, null)).object();
        String runtime = node.path("status").path("nodeInfo").path("containerRuntimeVersion").asString("");
        if (runtime.startsWith("roster-sim")) {
            throw ApiException.badRequest("pod " + t.name() + " runs on node " + nodeName + " of the sim runtime, which keeps no container logs");
        }
        JsonNode port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port");
        String host = kubeletHost != null ? kubeletHost : "127.0.0.1";
        if (kubeletHost == null) {
            for (JsonNode a : node.path("status").path("addresses")) {
                if ("InternalIP".equals(a.path("type").asString())) host = a.path("address").asString();
            }
        }
        StringBuilder uri = new StringBuilder("http://").append(host.contains(":") ? "[" + host + "]" : host).append(':')
                .append(port.asInt()).append("/containerLogs/").append(enc(t.namespace())).append('/').append(enc(t.name()))
                .append('/').append(enc(container));
        uri.append(opts.nodeQuery());
        HttpResponse<InputStream> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(uri.toString())).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ApiException.internal("Get \"" + uri + "\": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.internal("interrupted");
        }
        if (r.statusCode() != 200) {
            String text;
            try (InputStream in = r.body()) {
                text = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                text = e.toString();
            }
            throw switch (r.statusCode()) {
                case 400 -> ApiException.badRequest(text);
                case 404 -> new ApiException(404, "NotFound", text, null);
                default -> ApiException.internal(text);
            };
        }
        return RestResponse.stream("text/plain", out -> {
            try (InputStream in = r.body()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    if (in.available() == 0) out.flush(); // a follower sees each line as it comes
                }
                out.flush();
            }
        });
    }

    /** The container the request names, or the pod's only one; upstream's errors otherwise. */
    static String container(ObjectNode pod, String podName, String requested) {
        List<String> names = names(pod.path("spec").path("containers"));
        List<String> init = names(pod.path("spec").path("initContainers"));
        List<String> ephemeral = names(pod.path("spec").path("ephemeralContainers"));
        if (requested == null || requested.isEmpty()) {
            if (names.size() == 1) return names.get(0);
            String msg = "a container name must be specified for pod " + podName + ", choose one of: " + list(names);
            if (!init.isEmpty()) msg += " or one of the init containers: " + list(init);
            if (!ephemeral.isEmpty()) msg += " or one of the ephemeral containers: " + list(ephemeral);
            throw ApiException.badRequest(msg);
        }
        if (!names.contains(requested) && !init.contains(requested) && !ephemeral.contains(requested)) {
            throw ApiException.badRequest("container " + requested + " is not valid for pod " + podName);
        }
        return requested;
    }

    /** What the kubelet checks before reading a log: a previous run must exist, a current one must have started. */
    private static void checkStatus(ObjectNode pod, String podName, String container, boolean previous) {
        JsonNode status = null;
        for (String list : List.of("containerStatuses", "initContainerStatuses")) {
            for (JsonNode s : pod.path("status").path(list)) if (container.equals(s.path("name").asString())) status = s;
        }
        boolean hasLast = status != null && status.path("lastState").has("terminated");
        if (previous) {
            if (!hasLast) {
                throw ApiException.badRequest("previous terminated container \"" + container + "\" in pod \"" + podName + "\" not found");
            }
            return;
        }
        JsonNode state = status == null ? null : status.path("state");
        if (state == null || (state.has("waiting") && !hasLast)) {
            String reason = state == null ? "ContainerCreating" : state.path("waiting").path("reason").asString("ContainerCreating");
            throw ApiException.badRequest("container \"" + container + "\" in pod \"" + podName + "\" is waiting to start: " + reason);
        }
    }

    private static List<String> names(JsonNode containers) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : containers) out.add(c.path("name").asString());
        return out;
    }

    private static String list(List<String> names) { return "[" + String.join(" ", names) + "]"; }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }
}
