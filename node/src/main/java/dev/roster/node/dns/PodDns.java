package dev.roster.node.dns;

import dev.roster.runtime.net.ResolvConf;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's resolver configuration as the kubelet forms it from the pod's {@code dnsPolicy} and {@code dnsConfig}
 * ("DNS for Services and Pods"):
 * <ul>
 * <li>{@code ClusterFirst} (the default; {@code Default} for a hostNetwork pod) and {@code ClusterFirstWithHostNet}:
 * the cluster DNS servers only, the search path {@code <ns>.svc.<domain> svc.<domain> <domain>} followed by the
 * host's, and {@code options ndots:5} (the host's options are not kept). Without cluster DNS servers the pod falls
 * back to {@code Default}, with a MissingClusterDNS event on the node and the pod.</li>
 * <li>{@code Default}: the host file's nameservers, search path and options.</li>
 * <li>{@code None}: nothing but the pod's dnsConfig.</li>
 * </ul>
 * dnsConfig is then merged in: nameservers and search paths appended without duplicates, options by name (the
 * pod's value wins). Last, the kubelet's limits: at most {@value #MAX_NAMESERVERS} nameservers, {@value
 * #MAX_SEARCH_PATHS} search paths of at most {@value #MAX_SEARCH_PATH_CHARS} characters on a line of at most
 * {@value #MAX_SEARCH_LINE_CHARS}; what is cut is said in a DNSConfigForming event.
 */
public final class PodDns {
    private static final Logger LOG = LoggerFactory.getLogger(PodDns.class);
    public static final int MAX_NAMESERVERS = 3;
    public static final int MAX_SEARCH_PATHS = 32;
    public static final int MAX_SEARCH_LINE_CHARS = 2048;
    public static final int MAX_SEARCH_PATH_CHARS = 253;
    static final List<String> CLUSTER_OPTIONS = List.of("ndots:5");

    /** A warning the kubelet records while forming the configuration: about the node, or about the pod. */
    public record Event(boolean onNode, String reason, String message) {}

    /** The pod's configuration and the events to record about it. */
    public record Result(ResolvConf conf, List<Event> events) {}

    private enum Kind { CLUSTER, HOST, NONE }

    private final DnsSettings settings;
    private final String nodeIp;

    /** @param nodeIp the node's address; its family picks the loopback nameserver when there is no host file */
    public PodDns(DnsSettings settings, String nodeIp) {
        this.settings = settings;
        this.nodeIp = nodeIp;
    }

    /**
     * The pod's configuration, reading the host file now (as the kubelet does for every sandbox, so edits reach new
     * pods). IOException when the host file cannot be read: the pod's sandbox cannot be made.
     */
    public Result forPod(Pod pod) throws IOException {
        return form(pod, settings.resolvConf() == null ? null : readHost());
    }

    /** {@link #forPod} with the host file already read ({@code host} null when there is none configured). */
    public Result form(Pod pod, ResolvConf host) {
        List<Event> events = new ArrayList<>();
        ResolvConf conf = host != null ? host : ResolvConf.EMPTY;
        switch (kind(pod)) {
            case NONE -> conf = ResolvConf.EMPTY;
            case CLUSTER -> {
                if (!settings.clusterDns().isEmpty()) {
                    conf = new ResolvConf(settings.clusterDns(), clusterSearches(pod, conf.searches()), CLUSTER_OPTIONS);
                } else {
                    String msg = "kubelet does not have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. "
                            + "Falling back to \"Default\" policy.";
                    events.add(new Event(true, "MissingClusterDNS", msg));
                    events.add(new Event(false, "MissingClusterDNS", "pod: \"" + describe(pod) + "\". " + msg));
                    conf = hostDefault(conf);
                }
            }
            case HOST -> conf = hostDefault(conf);
        }
        if (pod.getSpec().getDnsConfig() != null) conf = merge(conf, pod.getSpec().getDnsConfig());
        return new Result(fitLimits(conf, events), List.copyOf(events));
    }

    /**
     * The kubelet's look at the host file when it starts: warnings about the node when the file cannot be read or
     * its search line leaves no room for the cluster's paths within the limits. None without a host file.
     */
    public List<Event> checkHostFile() {
        if (settings.resolvConf() == null) return List.of();
        ResolvConf host;
        try {
            host = readHost();
        } catch (IOException e) {
            return List.of(new Event(true, "CheckLimitsForResolvConf", e.getMessage()));
        }
        String file = settings.resolvConf().toString();
        int maxPaths = MAX_SEARCH_PATHS - (settings.clusterDomain().isEmpty() ? 0 : 3);
        String problem = null;
        if (host.searches().size() > maxPaths) {
            problem = "Resolv.conf file '" + file + "' contains search line consisting of more than " + maxPaths + " domains!";
        } else if (host.searches().stream().anyMatch(s -> s.length() > MAX_SEARCH_PATH_CHARS)) {
            problem = "Resolv.conf file \"" + file + "\" contains a search path which length is more than allowed "
                    + MAX_SEARCH_PATH_CHARS + " chars!";
        } else if (String.join(" ", host.searches()).length() > MAX_SEARCH_LINE_CHARS) {
            problem = "Resolv.conf file '" + file + "' contains search line which length is more than allowed "
                    + MAX_SEARCH_LINE_CHARS + " chars!";
        }
        return problem == null ? List.of() : List.of(new Event(true, "CheckLimitsForResolvConf", problem));
    }

    private ResolvConf readHost() throws IOException {
        Path file = settings.resolvConf();
        try {
            return ResolvConf.read(file);
        } catch (NoSuchFileException e) {
            throw new IOException("open " + file + ": no such file or directory", e);
        }
    }

    private static Kind kind(Pod pod) {
        String policy = pod.getSpec().getDnsPolicy();
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        return switch (policy == null ? "" : policy) {
            case "None" -> Kind.NONE;
            case "ClusterFirstWithHostNet" -> Kind.CLUSTER;
            case "ClusterFirst" -> hostNetwork ? Kind.HOST : Kind.CLUSTER; // a host-network pod cannot reach cluster DNS by default
            case "Default" -> Kind.HOST;
            default -> {
                // admission refuses other values; the kubelet falls back to ClusterFirst
                LOG.warn("pod {}: invalid dnsPolicy \"{}\", using ClusterFirst", describe(pod), policy);
                yield Kind.CLUSTER;
            }
        };
    }

    /** Default: the host's settings; without a host file, the node's own loopback address and no search. */
    private ResolvConf hostDefault(ResolvConf host) {
        if (settings.resolvConf() != null) return host;
        return new ResolvConf(List.of(nodeIp != null && nodeIp.contains(":") ? "::1" : "127.0.0.1"), List.of("."), host.options());
    }

    private List<String> clusterSearches(Pod pod, List<String> hostSearches) {
        String domain = settings.clusterDomain();
        if (domain.isEmpty()) return hostSearches;
        List<String> out = new ArrayList<>(List.of(pod.getMetadata().getNamespace() + ".svc." + domain, "svc." + domain, domain));
        out.addAll(hostSearches);
        return distinct(out);
    }

    private static ResolvConf merge(ResolvConf conf, PodDNSConfig pod) {
        List<String> nameservers = new ArrayList<>(conf.nameservers());
        if (pod.getNameservers() != null) nameservers.addAll(pod.getNameservers());
        List<String> searches = new ArrayList<>(conf.searches());
        if (pod.getSearches() != null) searches.addAll(pod.getSearches());
        Map<String, String> options = new LinkedHashMap<>();
        for (String o : conf.options()) {
            int colon = o.indexOf(':');
            if (colon < 0) options.put(o, "");
            else options.put(o.substring(0, colon), o.substring(colon + 1));
        }
        for (PodDNSConfigOption o : pod.getOptions() == null ? List.<PodDNSConfigOption>of() : pod.getOptions()) {
            if (o.getName() != null) options.put(o.getName(), o.getValue() == null ? "" : o.getValue());
        }
        List<String> merged = new ArrayList<>();
        options.forEach((name, value) -> merged.add(value.isEmpty() ? name : name + ":" + value));
        return new ResolvConf(distinct(nameservers), distinct(searches), merged);
    }

    private static ResolvConf fitLimits(ResolvConf conf, List<Event> events) {
        List<String> nameservers = conf.nameservers();
        if (nameservers.size() > MAX_NAMESERVERS) {
            nameservers = nameservers.subList(0, MAX_NAMESERVERS);
            events.add(new Event(false, "DNSConfigForming", "Nameserver limits were exceeded, some nameservers have been "
                    + "omitted, the applied nameserver line is: " + String.join(" ", nameservers)));
        }
        List<String> searches = conf.searches();
        boolean cut = searches.size() > MAX_SEARCH_PATHS;
        if (cut) searches = searches.subList(0, MAX_SEARCH_PATHS);
        // some resolvers (glibc 2.28) abort on a search path longer than a domain name may be
        List<String> fitting = searches.stream().filter(s -> s.length() <= MAX_SEARCH_PATH_CHARS).toList();
        cut |= fitting.size() < searches.size();
        int end = fitting.size();
        while (end > 0 && String.join(" ", fitting.subList(0, end)).length() > MAX_SEARCH_LINE_CHARS) end--;
        cut |= end < fitting.size();
        searches = fitting.subList(0, end);
        if (cut) {
            events.add(new Event(false, "DNSConfigForming", "Search Line limits were exceeded, some search paths have been "
                    + "omitted, the applied search line is: " + String.join(" ", searches)));
        }
        return new ResolvConf(nameservers, searches, conf.options());
    }

    private static List<String> distinct(List<String> list) { return List.copyOf(new LinkedHashSet<>(list)); }

    /** The kubelet's way of naming a pod in messages: {@code name_namespace(uid)}. */
    private static String describe(Pod pod) {
        return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")";
    }
}
