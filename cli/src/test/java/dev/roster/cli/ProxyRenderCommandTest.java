package dev.roster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code roster proxy render}: offline rule rendering from manifests. */
class ProxyRenderCommandTest {
    static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: nginx, namespace: default}
            spec:
              clusterIP: 10.96.0.10
              ports: [{name: http, port: 80, protocol: TCP}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: nginx-abc, namespace: default, labels: {kubernetes.io/service-name: nginx}}
            addressType: IPv4
            endpoints:
            - addresses: [10.244.0.5]
              conditions: {ready: true}
              nodeName: node-1
            - addresses: [10.244.0.6]
              conditions: {ready: true}
              nodeName: node-2
            ports: [{name: http, port: 8080, protocol: TCP}]
            """;

    record Run(int code, String out, String err) {
    }

    /** Runs like Main does: execution errors become one line on stderr. */
    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new ProxyCommand())
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("roster: " + e.getMessage());
                    return 1;
                });
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void rendersTheSeedsNginxRules(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("nginx.yaml"), SERVICE);
        Run r = run("render", "--mode", "iptables", "-f", f.toString(), "--node-name", "node-1",
                "--node-ip", "192.168.0.2", "--cluster-cidr", "10.244.0.0/16");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("*filter\n").endsWith("COMMIT\n")
                .contains("-A KUBE-SERVICES -m comment --comment \"default/nginx:http cluster IP\" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-SVC-")
                .contains("! -s 10.244.0.0/16 -j KUBE-MARK-MASQ")
                .contains("-m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-")
                .contains("-j DNAT --to-destination 10.244.0.6:8080")
                .contains("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE\n");
    }

    @Test
    void flagsChangeTheRules(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("nginx.yaml"), SERVICE);
        Run r = run("render", "-f", f.toString(), "--node-name", "n", "--masquerade-all", "--random-fully", "true",
                "--iptables-masquerade-bit", "15", "--nfacct", "false");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("--mark 0x8000/0x8000").contains("-j MASQUERADE --random-fully")
                .contains("-d 10.96.0.10 --dport 80 -j KUBE-MARK-MASQ")
                .contains("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP");
    }

    @Test
    void rendersNftables(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("nginx.yaml"), SERVICE);
        Run r = run("render", "--mode", "nftables", "-f", f.toString(), "--node-name", "node-1",
                "--cluster-cidr", "10.244.0.0/16", "--service-cidr", "10.96.0.0/12");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("add table ip kube-proxy { comment \"rules for kube-proxy\" ; }\n")
                .contains("add element ip kube-proxy service-ips { 10.96.0.10 . tcp . 80 : goto service-")
                .contains("numgen random mod 2 vmap { 0 : goto endpoint-")
                .contains("ip daddr { 10.96.0.0/12 } drop")
                .contains("meta l4proto tcp dnat to 10.244.0.6:8080");
    }

    @Test
    void badInputIsOneLine(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("bad.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        Run r = run("render", "-f", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("roster: bad input: document 1: kind ConfigMap is not supported (only Service and EndpointSlice)");

        Run missing = run("render", "-f", dir.resolve("nope.yaml").toString());
        assertThat(missing.err().strip()).startsWith("roster: cannot read ").endsWith("nope.yaml: no such file");

        Run badIp = run("render", "-f", f.toString(), "--node-ip", "10.0.0.300");
        assertThat(badIp.err().strip()).isEqualTo("roster: --node-ip: not an IP address: 10.0.0.300");
    }
}
