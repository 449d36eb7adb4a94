package dev.roster.node.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.runtime.net.ResolvConf;
import dev.roster.testing.Golden;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod's resolv.conf as the kubelet forms it: dnsPolicy × hostNetwork × dnsConfig × the node's settings, each case's
 * file and events in the golden file {@code pod-dns.txt} (regenerate with -Dgolden.update=true and review the diff).
 */
class PodDnsTest {
    static final ResolvConf HOST = ResolvConf.parse("nameserver 192.0.2.53\nnameserver 192.0.2.54\nsearch corp.example lab.example\n"
            + "options timeout:2 rotate\n");
    static final DnsSettings CLUSTER = new DnsSettings(List.of("10.96.0.10"), "cluster.local", Path.of("/etc/resolv.conf"));
    @TempDir Path tmp;

    record Case(String name, DnsSettings settings, String nodeIp, ResolvConf host, Pod pod) {}

    static Pod pod(String namespace, String policy, boolean hostNetwork, PodDNSConfig config) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace(namespace).withUid("uid-1").endMetadata()
                .withNewSpec().withDnsPolicy(policy).withHostNetwork(hostNetwork ? true : null).withDnsConfig(config)
                .addNewContainer().withName("c").endContainer().endSpec().build();
    }

    static Pod pod(String policy, boolean hostNetwork, PodDNSConfig config) { return pod("default", policy, hostNetwork, config); }

    static PodDNSConfig config(List<String> nameservers, List<String> searches, PodDNSConfigOption... options) {
        return new PodDNSConfigBuilder().withNameservers(nameservers).withSearches(searches).withOptions(options).build();
    }

    static PodDNSConfigOption option(String name, String value) { return new PodDNSConfigOption(name, value); }

    static List<Case> cases() {
        DnsSettings noHostFile = CLUSTER.withResolvConf(null);
        DnsSettings noClusterDns = CLUSTER.withClusterDns(List.of(), "cluster.local");
        List<String> many = IntStream.rangeClosed(1, 40).mapToObj(i -> "s" + i + ".example").toList();
        String long254 = "a".repeat(250) + ".com";
        List<String> wide = IntStream.rangeClosed(1, 12).mapToObj(i -> "p" + i + "." + "x".repeat(190) + ".example").toList();
        return List.of(
                new Case("ClusterFirst: cluster servers only, cluster search path then the host's, ndots:5 (host options dropped)",
                        CLUSTER, "127.0.0.1", HOST, pod("ClusterFirst", false, null)),
                new Case("ClusterFirst in another namespace", CLUSTER, "127.0.0.1", HOST, pod("team-a", "ClusterFirst", false, null)),
                new Case("ClusterFirst with two cluster DNS servers", CLUSTER.withClusterDns(List.of("10.96.0.10", "fd00::a"), "cluster.local"),
                        "127.0.0.1", HOST, pod("ClusterFirst", false, null)),
                new Case("ClusterFirst on hostNetwork: falls back to Default", CLUSTER, "127.0.0.1", HOST, pod("ClusterFirst", true, null)),
                new Case("ClusterFirstWithHostNet on hostNetwork: cluster DNS", CLUSTER, "127.0.0.1", HOST,
                        pod("ClusterFirstWithHostNet", true, null)),
                new Case("ClusterFirstWithHostNet without hostNetwork: cluster DNS", CLUSTER, "127.0.0.1", HOST,
                        pod("ClusterFirstWithHostNet", false, null)),
                new Case("Default: the host file as it is", CLUSTER, "127.0.0.1", HOST, pod("Default", false, null)),
                new Case("Default without a host file (--resolv-conf=\"\")", noHostFile, "172.18.0.2", null, pod("Default", false, null)),
                new Case("Default without a host file on an IPv6 node", noHostFile, "fd00::2", null, pod("Default", false, null)),
                new Case("ClusterFirst without cluster DNS: Default, with MissingClusterDNS events", noClusterDns, "127.0.0.1", HOST,
                        pod("ClusterFirst", false, null)),
                new Case("ClusterFirst without a cluster domain: the host's search path only",
                        CLUSTER.withClusterDns(List.of("10.96.0.10"), ""), "127.0.0.1", HOST, pod("ClusterFirst", false, null)),
                new Case("ClusterFirst: a host search path equal to a cluster one is kept once", CLUSTER, "127.0.0.1",
                        HOST.withSearches(List.of("cluster.local", "corp.example")), pod("ClusterFirst", false, null)),
                new Case("None: the pod's dnsConfig only", CLUSTER, "127.0.0.1", HOST, pod("None", false,
                        config(List.of("1.1.1.1"), List.of("my.dns.search.suffix"), option("ndots", "2"), option("edns0", null)))),
                new Case("ClusterFirst + dnsConfig: appended without duplicates, options by name (the pod's value wins)", CLUSTER,
                        "127.0.0.1", HOST, pod("ClusterFirst", false, config(List.of("10.96.0.10", "192.0.2.99"),
                                List.of("svc.cluster.local", "extra.example"), option("ndots", "2"), option("edns0", ""),
                                option("timeout", "1")))),
                new Case("Default + dnsConfig options: merged with the host's", CLUSTER, "127.0.0.1", HOST, pod("Default", false,
                        config(List.of(), List.of(), option("rotate", null), option("timeout", "5"), option("attempts", "3")))),
                new Case("over three nameservers: the first three, DNSConfigForming", CLUSTER, "127.0.0.1", HOST, pod("ClusterFirst", false,
                        config(List.of("192.0.2.1", "192.0.2.2", "192.0.2.3"), List.of()))),
                new Case("over 32 search paths: the first 32, DNSConfigForming", CLUSTER, "127.0.0.1", HOST, pod("None", false,
                        config(List.of("192.0.2.1"), many))),
                new Case("a search path over 253 characters is dropped", CLUSTER, "127.0.0.1", HOST, pod("None", false,
                        config(List.of("192.0.2.1"), List.of("a.example", long254, "b.example")))),
                new Case("a search line over 2048 characters loses paths from its end", CLUSTER, "127.0.0.1", HOST, pod("None", false,
                        config(List.of("192.0.2.1"), wide))),
                new Case("an unknown dnsPolicy is taken as ClusterFirst", CLUSTER, "127.0.0.1", HOST, pod("Sometimes", false, null)));
    }

    static String show(Case c, PodDns.Result r) {
        StringBuilder out = new StringBuilder("=== ").append(c.name()).append('\n').append(r.conf().render());
        for (PodDns.Event e : r.events()) {
            out.append("event (").append(e.onNode() ? "node" : "pod").append(") ").append(e.reason()).append(": ")
                    .append(e.message()).append('\n');
        }
        return out.append('\n').toString();
    }

    @Test
    void everyPolicyHostNetworkAndDnsConfigCaseFormsTheKubeletsFile() {
        StringBuilder all = new StringBuilder();
        for (Case c : cases()) all.append(show(c, new PodDns(c.settings(), c.nodeIp()).form(c.pod(), c.host())));
        Golden.standard().assertMatches("pod-dns.txt", all.toString());
    }

    @Test
    void theDefaultClusterFirstPodGetsUpstreamsFile() {
        PodDns.Result r = new PodDns(CLUSTER, "127.0.0.1").form(pod("ClusterFirst", false, null), ResolvConf.parse("nameserver 192.0.2.53\n"));
        assertThat(r.conf().render()).isEqualTo("""
                search default.svc.cluster.local svc.cluster.local cluster.local
                nameserver 10.96.0.10
                options ndots:5
                """);
        assertThat(r.events()).isEmpty();
    }

    @Test
    void theLimitsKeepThreeNameserversAndALineThatFits() {
        for (Case c : cases()) {
            ResolvConf conf = new PodDns(c.settings(), c.nodeIp()).form(c.pod(), c.host()).conf();
            assertThat(conf.nameservers()).as(c.name()).hasSizeLessThanOrEqualTo(PodDns.MAX_NAMESERVERS);
            assertThat(conf.searches()).as(c.name()).hasSizeLessThanOrEqualTo(PodDns.MAX_SEARCH_PATHS)
                    .allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(PodDns.MAX_SEARCH_PATH_CHARS));
            assertThat(String.join(" ", conf.searches()).length()).as(c.name()).isLessThanOrEqualTo(PodDns.MAX_SEARCH_LINE_CHARS);
        }
    }

    @Test
    void theHostFileIsReadForEveryPodAndAMissingOneIsAnError() throws IOException {
        Path file = tmp.resolve("resolv.conf");
        PodDns dns = new PodDns(CLUSTER.withResolvConf(file), "127.0.0.1");
        assertThatThrownBy(() -> dns.forPod(pod("Default", false, null))).isInstanceOf(IOException.class)
                .hasMessage("open " + file + ": no such file or directory");
        Files.writeString(file, "nameserver 192.0.2.7\n");
        assertThat(dns.forPod(pod("Default", false, null)).conf().nameservers()).containsExactly("192.0.2.7");
        Files.writeString(file, "nameserver 192.0.2.8\n");
        assertThat(dns.forPod(pod("Default", false, null)).conf().nameservers()).containsExactly("192.0.2.8");
    }

    @Test
    void theHostFileIsCheckedAgainstTheLimitsLeavingRoomForTheClusterPaths() throws IOException {
        Path file = tmp.resolve("resolv.conf");
        List<String> problems = new ArrayList<>();
        PodDns dns = new PodDns(CLUSTER.withResolvConf(file), "127.0.0.1");
        problems.add(String.valueOf(dns.checkHostFile()));
        Files.writeString(file, "search " + String.join(" ", IntStream.rangeClosed(1, 30).mapToObj(i -> "s" + i).toList()) + "\n");
        problems.add(String.valueOf(dns.checkHostFile()));
        Files.writeString(file, "search " + "a".repeat(254) + "\n");
        problems.add(String.valueOf(dns.checkHostFile()));
        Files.writeString(file, "search " + String.join(" ", IntStream.rangeClosed(1, 10).mapToObj(i -> "x".repeat(250)).toList()) + "\n");
        problems.add(String.valueOf(dns.checkHostFile()));
        Files.writeString(file, "nameserver 192.0.2.1\nsearch a b c\n");
        problems.add(String.valueOf(dns.checkHostFile()));
        assertThat(problems).containsExactly(
                "[Event[onNode=true, reason=CheckLimitsForResolvConf, message=open " + file + ": no such file or directory]]",
                "[Event[onNode=true, reason=CheckLimitsForResolvConf, message=Resolv.conf file '" + file
                        + "' contains search line consisting of more than 29 domains!]]",
                "[Event[onNode=true, reason=CheckLimitsForResolvConf, message=Resolv.conf file \"" + file
                        + "\" contains a search path which length is more than allowed 253 chars!]]",
                "[Event[onNode=true, reason=CheckLimitsForResolvConf, message=Resolv.conf file '" + file
                        + "' contains search line which length is more than allowed 2048 chars!]]",
                "[]");
        assertThat(new PodDns(CLUSTER.withResolvConf(null), "127.0.0.1").checkHostFile()).isEmpty();
    }
}
