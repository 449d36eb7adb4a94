package dev.roster.node.process;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet builds it: {@code envFrom} (ConfigMaps and Secrets, with prefix), then
 * {@code env} in order ({@code value} with {@code $(VAR)} expanded against what is defined so far and the service
 * variables; {@code valueFrom} fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef), then the service
 * variables not already defined. A missing non-optional ConfigMap, Secret or key is a {@link ConfigError} (the
 * container then waits with CreateContainerConfigError).
 */
public final class ContainerEnv {
    private static final Pattern VALID_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    /** What the environment is built from besides the pod: API objects and the node. */
    public interface Sources {
        /** The ConfigMap's data (binaryData left out), or null when it does not exist. */
        Map<String, String> configMap(String namespace, String name);

        /** The Secret's data, decoded, or null when it does not exist. */
        Map<String, String> secret(String namespace, String name);

        /** Every Service in the pod's namespace and in {@code default}. */
        List<Service> services(String namespace);
    }

    /** Why the container cannot start (upstream's message). */
    public static final class ConfigError extends Exception {
        public ConfigError(String message) { super(message); }
    }

    /** Where envFrom and valueFrom read keys, with the words upstream's errors use for each. */
    private enum Store {
        CONFIG_MAP("configmap", "ConfigMap"), SECRET("secret", "Secret");

        private final String lower;
        private final String kind;

        Store(String lower, String kind) {
            this.lower = lower;
            this.kind = kind;
        }

        /** The object's data; null when it is missing and {@code optional}. */
        Map<String, String> data(Sources sources, String ns, String name, Boolean optional) throws ConfigError {
            Map<String, String> data = this == SECRET ? sources.secret(ns, name) : sources.configMap(ns, name);
            if (data == null && !Boolean.TRUE.equals(optional)) throw new ConfigError(lower + " \"" + name + "\" not found");
            return data;
        }

        /** One key's value; null when it (or its object) is missing and {@code optional}. */
        String key(Sources sources, String ns, String name, String key, Boolean optional) throws ConfigError {
            Map<String, String> data = data(sources, ns, name, optional);
            String v = data == null ? null : data.get(key);
            if (v == null && data != null && !Boolean.TRUE.equals(optional)) {
                throw new ConfigError("couldn't find key " + key + " in " + kind + " " + ns + "/" + name);
            }
            return v;
        }
    }

    /**
     * @param nodeCpu    the node's allocatable cpu (for resourceFieldRef limits a container leaves unset)
     * @param nodeMemory the node's allocatable memory
     */
    public record Node(String name, String hostIP, String nodeCpu, String nodeMemory) {}

    private ContainerEnv() {}

    public static Map<String, String> build(Pod pod, Container c, String podIP, Node node, Sources sources) throws ConfigError {
        String ns = pod.getMetadata().getNamespace();
        Boolean links = pod.getSpec().getEnableServiceLinks();
        Map<String, String> serviceEnv = ServiceEnv.of(ServiceEnv.visible(ns, links == null || links, sources.services(ns)));
        Map<String, String> env = new LinkedHashMap<>();
        if (c.getEnvFrom() != null) for (EnvFromSource from : c.getEnvFrom()) envFrom(env, ns, from, sources);
        if (c.getEnv() != null) {
            for (EnvVar v : c.getEnv()) {
                String value;
                if (v.getValueFrom() != null) {
                    value = valueFrom(pod, c, podIP, node, v.getValueFrom(), sources);
                    if (value == null) continue; // optional and absent
                } else {
                    String raw = v.getValue() == null ? "" : v.getValue();
                    value = Expansion.expand(raw, name -> env.containsKey(name) ? env.get(name) : serviceEnv.get(name));
                }
                env.remove(v.getName()); // a redefinition moves to its new place
                env.put(v.getName(), value);
            }
        }
        serviceEnv.forEach(env::putIfAbsent);
        return env;
    }

    /** The container's command line with {@code $(VAR)} references expanded against its environment. */
    public static List<String> commandLine(Container c, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        if (c.getCommand() != null) for (String s : c.getCommand()) out.add(Expansion.expand(s, env::get));
        if (c.getArgs() != null) for (String s : c.getArgs()) out.add(Expansion.expand(s, env::get));
        return out;
    }

    private static void envFrom(Map<String, String> env, String ns, EnvFromSource from, Sources sources) throws ConfigError {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        Map<String, String> data;
        if (from.getConfigMapRef() != null) {
            data = Store.CONFIG_MAP.data(sources, ns, from.getConfigMapRef().getName(), from.getConfigMapRef().getOptional());
        } else if (from.getSecretRef() != null) {
            data = Store.SECRET.data(sources, ns, from.getSecretRef().getName(), from.getSecretRef().getOptional());
        } else {
            return;
        }
        if (data == null) return;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(data).entrySet()) {
            String key = prefix + e.getKey();
            if (VALID_NAME.matcher(key).matches()) env.put(key, e.getValue()); // invalid names are skipped, as upstream
        }
    }

    private static String valueFrom(Pod pod, Container c, String podIP, Node node, EnvVarSource src, Sources sources)
            throws ConfigError {
        String ns = pod.getMetadata().getNamespace();
        if (src.getFieldRef() != null) return field(pod, podIP, node, src.getFieldRef());
        if (src.getResourceFieldRef() != null) return resource(pod, c, node, src.getResourceFieldRef());
        if (src.getConfigMapKeyRef() != null) {
            ConfigMapKeySelector ref = src.getConfigMapKeyRef();
            return Store.CONFIG_MAP.key(sources, ns, ref.getName(), ref.getKey(), ref.getOptional());
        }
        if (src.getSecretKeyRef() != null) {
            SecretKeySelector ref = src.getSecretKeyRef();
            return Store.SECRET.key(sources, ns, ref.getName(), ref.getKey(), ref.getOptional());
        }
        return "";
    }

    static String field(Pod pod, String podIP, Node node, ObjectFieldSelector sel) throws ConfigError {
        String path = sel.getFieldPath();
        var meta = pod.getMetadata();
        if (path.startsWith("metadata.labels['") && path.endsWith("']")) {
            return orEmpty(meta.getLabels(), path.substring("metadata.labels['".length(), path.length() - 2));
        }
        if (path.startsWith("metadata.annotations['") && path.endsWith("']")) {
            return orEmpty(meta.getAnnotations(), path.substring("metadata.annotations['".length(), path.length() - 2));
        }
        return switch (path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "spec.nodeName" -> pod.getSpec().getNodeName() == null ? node.name() : pod.getSpec().getNodeName();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName() == null ? "" : pod.getSpec().getServiceAccountName();
            case "status.podIP", "status.podIPs" -> podIP;
            case "status.hostIP", "status.hostIPs" -> node.hostIP();
            default -> throw new ConfigError("unsupported fieldPath: " + path);
        };
    }

    private static String orEmpty(Map<String, String> m, String key) {
        return m == null || m.get(key) == null ? "" : m.get(key);
    }

    /** limits/requests of cpu, memory or ephemeral-storage, divided by the divisor and rounded up, as upstream. */
    static String resource(Pod pod, Container self, Node node, ResourceFieldSelector sel) throws ConfigError {
        Container c = self;
        if (sel.getContainerName() != null && !sel.getContainerName().isEmpty()) {
            c = pod.getSpec().getContainers().stream().filter(x -> x.getName().equals(sel.getContainerName())).findFirst()
                    .orElseThrow(() -> new ConfigError("container " + sel.getContainerName() + " not found"));
        }
        String res = sel.getResource();
        int dot = res.indexOf('.');
        if (dot < 0) throw new ConfigError("unsupported container resource: " + res);
        String kind = res.substring(0, dot);
        String name = res.substring(dot + 1);
        Map<String, Quantity> set = null;
        if (c.getResources() != null) set = kind.equals("limits") ? c.getResources().getLimits() : c.getResources().getRequests();
        Quantity q = set == null ? null : set.get(name);
        if (q == null && kind.equals("limits")) {
            q = switch (name) {
                case "cpu" -> new Quantity(node.nodeCpu());
                case "memory" -> new Quantity(node.nodeMemory());
                default -> null;
            };
        }
        BigDecimal value = q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
        Quantity divisorQ = sel.getDivisor() == null ? new Quantity("1") : sel.getDivisor();
        BigDecimal divisor = Quantity.getAmountInBytes(divisorQ);
        if (divisor.signum() == 0) divisor = BigDecimal.ONE;
        return value.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }
}
