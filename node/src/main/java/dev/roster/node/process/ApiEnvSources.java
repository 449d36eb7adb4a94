package dev.roster.node.process;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** ConfigMaps, Secrets and Services read from the API server when a container starts. */
final class ApiEnvSources implements ContainerEnv.Sources {
    private final KubernetesClient client;

    ApiEnvSources(KubernetesClient client) { this.client = client; }

    @Override
    public Map<String, String> configMap(String namespace, String name) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
        if (cm == null) return null;
        return cm.getData() == null ? Map.of() : cm.getData();
    }

    @Override
    public Map<String, String> secret(String namespace, String name) {
        Secret s = client.secrets().inNamespace(namespace).withName(name).get();
        if (s == null) return null;
        Map<String, String> out = new HashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (s.getStringData() != null) out.putAll(s.getStringData());
        return out;
    }

    @Override
    public List<Service> services(String namespace) {
        List<Service> out = new ArrayList<>(client.services().inNamespace(namespace).list().getItems());
        if (!namespace.equals("default")) out.addAll(client.services().inNamespace("default").list().getItems());
        return out;
    }
}
