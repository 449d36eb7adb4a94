package dev.roster.node.process;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variables a container gets for the Services it can see, named as the kubelet names them: {@code
 * NAME_SERVICE_HOST}, {@code NAME_SERVICE_PORT}, {@code NAME_SERVICE_PORT_<PORTNAME>} and the Docker-link style
 * {@code NAME_PORT}, {@code NAME_PORT_<port>_<PROTO>} with {@code _PROTO}, {@code _PORT} and {@code _ADDR}.
 */
public final class ServiceEnv {
    private ServiceEnv() {}

    /**
     * The services a pod in {@code namespace} sees: the {@code kubernetes} service of {@code default} always, the
     * namespace's own services when service links are enabled (one of the pod's namespace wins over default's
     * {@code kubernetes}). Headless and ExternalName services have no address and are left out.
     */
    public static List<Service> visible(String namespace, boolean enableServiceLinks, List<Service> all) {
        Map<String, Service> byName = new LinkedHashMap<>();
        for (Service s : all) {
            if (!hasClusterIP(s)) continue;
            String ns = s.getMetadata().getNamespace();
            String name = s.getMetadata().getName();
            if (ns.equals(namespace) && enableServiceLinks) byName.put(name, s);
        }
        for (Service s : all) {
            if (!hasClusterIP(s)) continue;
            if ("default".equals(s.getMetadata().getNamespace()) && "kubernetes".equals(s.getMetadata().getName())) {
                byName.putIfAbsent("kubernetes", s);
            }
        }
        List<Service> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        return out;
    }

    static boolean hasClusterIP(Service s) {
        String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !ip.equals("None");
    }

    /** The variables for these services, in service order. */
    public static Map<String, String> of(List<Service> services) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Service s : services) {
            if (!hasClusterIP(s)) continue;
            List<ServicePort> ports = s.getSpec().getPorts() == null ? List.of() : s.getSpec().getPorts();
            String prefix = varName(s.getMetadata().getName());
            String ip = s.getSpec().getClusterIP();
            env.put(prefix + "_SERVICE_HOST", ip);
            if (!ports.isEmpty()) env.put(prefix + "_SERVICE_PORT", Integer.toString(ports.get(0).getPort()));
            for (ServicePort p : ports) {
                if (p.getName() != null && !p.getName().isEmpty()) {
                    env.put(prefix + "_SERVICE_PORT_" + varName(p.getName()), Integer.toString(p.getPort()));
                }
            }
            links(env, prefix, ip, ports);
        }
        return env;
    }

    private static void links(Map<String, String> env, String prefix, String ip, List<ServicePort> ports) {
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            String proto = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
            String lower = proto.toLowerCase(Locale.ROOT);
            String url = lower + "://" + host + ":" + p.getPort();
            if (i == 0) env.put(prefix + "_PORT", url);
            String portPrefix = prefix + "_PORT_" + p.getPort() + "_" + proto.toUpperCase(Locale.ROOT);
            env.put(portPrefix, url);
            env.put(portPrefix + "_PROTO", lower);
            env.put(portPrefix + "_PORT", Integer.toString(p.getPort()));
            env.put(portPrefix + "_ADDR", ip);
        }
    }

    /** A service or port name as a variable name: upper case, dashes become underscores. */
    public static String varName(String name) {
        return name.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
