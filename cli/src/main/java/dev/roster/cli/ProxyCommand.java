package dev.roster.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code roster proxy}: the service proxy. Its subcommand {@code render} prints the rules for given
 * manifests without any cluster.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "The service proxy: kube-proxy's iptables and nftables rules.",
        subcommands = {ProxyRenderCommand.class})
final class ProxyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
