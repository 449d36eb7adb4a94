package dev.roster.cli;

import dev.roster.proxy.live.LiveProxy;
import dev.roster.runtime.net.NetNs;
import dev.roster.proxy.model.ProxySettings;
import dev.roster.proxy.model.ServiceName;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code roster proxy rules svc/NAME}: the rules applied now for one Service, read back from the kernel in the
 * namespace, as {@code iptables-save | grep NAME} would show them (nftables: the Service's chains and map entries).
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Print the rules applied now for one Service, read back from the namespace's kernel tables.")
final class ProxyRulesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "svc/NAME", description = "the Service (svc/NAME, service/NAME or NAME)")
    String service;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "the Service's namespace (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--netns", required = true, paramLabel = "NAME", description = "the network namespace the proxy writes into")
    String netns;

    @Option(names = "--mode", defaultValue = "iptables", description = "iptables or nftables (default: ${DEFAULT-VALUE})")
    String mode;

    @Override
    public Integer call() {
        String name = service;
        int slash = name.indexOf('/');
        if (slash >= 0) {
            String kind = name.substring(0, slash);
            if (!kind.equals("svc") && !kind.equals("service") && !kind.equals("services")) {
                throw new IllegalArgumentException("only Services have proxy rules: use svc/NAME, not " + service);
            }
            name = name.substring(slash + 1);
        }
        if (name.isEmpty()) throw new IllegalArgumentException("missing Service name in \"" + service + "\"");
        LiveProxy.Mode m = LiveProxy.Mode.parse(mode);
        NetNs ns = NetNs.existing(netns);
        String rules = LiveProxy.backend(m, ProxySettings.builder().build(), ns, java.time.Clock.systemUTC())
                .rulesOf(new ServiceName(namespace, name));
        PrintWriter out = spec.commandLine().getOut();
        if (rules.isEmpty()) {
            spec.commandLine().getErr().printf("roster: no %s rules for service %s/%s in netns %s%n", m.flag(), namespace, name, ns.name());
            spec.commandLine().getErr().flush();
            return 1;
        }
        out.print(rules);
        out.flush();
        return 0;
    }
}
