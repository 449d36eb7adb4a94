package dev.roster.cli;

import dev.roster.proxy.iptables.IptablesRenderer;
import dev.roster.proxy.model.Cidr;
import dev.roster.proxy.model.Manifests;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ProxyState;
import dev.roster.proxy.nftables.NftablesRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code roster proxy render}: reads Service and EndpointSlice manifests (used as written, nothing
 * defaulted) and prints the full ruleset kube-proxy would write for them on one node. Flags keep
 * upstream kube-proxy's names and meanings; kernel capabilities are flags too, so the output does not
 * depend on the machine it runs on.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Print the iptables-restore or nft input kube-proxy would write for the given Services and EndpointSlices.")
final class ProxyRenderCommand implements Callable<Integer> {
    enum Mode { iptables, nftables }

    @Spec
    CommandSpec spec;

    @Option(names = "--mode", defaultValue = "iptables", description = "iptables or nftables (default: ${DEFAULT-VALUE})")
    Mode mode;

    @Option(names = {"-f", "--filename"}, required = true, arity = "1..*",
            description = "YAML or JSON files with Services and EndpointSlices ('-' reads standard input)")
    List<String> files;

    @Mixin
    ProxyFlags node;

    @Option(names = "--service-cidr", split = ",",
            description = "the Service IP ranges (nftables drops traffic to unallocated addresses in them)")
    List<String> serviceCidrs = new ArrayList<>();

    @Option(names = "--nfacct", arity = "1", defaultValue = "true", description = "the nfacct counters exist (default: ${DEFAULT-VALUE})")
    boolean nfacct;

    @Option(names = "--random-fully", arity = "1", defaultValue = "false",
            description = "iptables supports MASQUERADE --random-fully (default: ${DEFAULT-VALUE})")
    boolean randomFully;

    @Override
    public Integer call() {
        ProxySettings settings = settings();
        StringBuilder yaml = new StringBuilder();
        for (String f : files) yaml.append(read(f)).append("\n---\n");
        Manifests.Objects objects;
        try {
            objects = Manifests.read(yaml.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad input: " + e.getMessage());
        }
        ProxyState state = ProxyState.from(objects.services(), objects.slices(), settings);
        String text = switch (mode) {
            case iptables -> new IptablesRenderer(settings).renderFull(state).text();
            case nftables -> new NftablesRenderer(settings).renderFull(state).text();
        };
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return 0;
    }

    ProxySettings settings() {
        for (String c : serviceCidrs) {
            if (Cidr.parse(c) == null) throw new IllegalArgumentException("--service-cidr: not a CIDR: " + c);
        }
        return node.settings().toBuilder().nfacct(nfacct).randomFully(randomFully).serviceCIDRs(serviceCidrs).build();
    }

    private String read(String file) {
        try {
            if (file.equals("-")) return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
    }
}
