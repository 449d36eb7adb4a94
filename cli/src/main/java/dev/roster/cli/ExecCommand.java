package dev.roster.cli;

import dev.roster.node.process.ProcessRuntime;
import dev.roster.runtime.net.ClusterNetwork;
import dev.roster.runtime.net.NetNs;
import dev.roster.runtime.net.PodNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code roster exec NODE|POD -- CMD}: a host command inside a node's or a pod's network namespace (the netns
 * dataplane), so {@code roster exec roster-node-1 -- iptables-save} shows what kube-proxy wrote on that node, as
 * running it on a real node would. The command's own exit status is returned.
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = "Run a host command inside a node's or pod's network namespace (--dataplane netns; root).")
final class ExecCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "The data dir of the running roster, where pods are looked up (default: ~/.roster-netns).")
    Path dataDir = NetnsDataplane.defaultDataDir(UpCommand.Dataplane.netns);

    @Option(names = {"-n", "--namespace"}, description = "The pod's Kubernetes namespace (default: ${DEFAULT-VALUE}).")
    String namespace = "default";

    @Parameters(index = "0", paramLabel = "NODE|POD", description = "A node name (roster-node-1 …) or a pod name.")
    String target;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Target where = resolve();
        // "roster exec NODE -- CMD": after the target every word is the command's, the separator too
        if (!command.isEmpty() && command.getFirst().equals("--")) command = command.subList(1, command.size());
        if (command.isEmpty()) throw new IllegalArgumentException("no command given (roster exec " + target + " -- CMD)");
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", where.ns().name()));
        // in a pod, names resolve as its containers resolve them: through the pod's resolv.conf (search path, cluster DNS)
        argv.addAll(where.podDir() == null ? command : ProcessRuntime.withPodResolvConf(where.podDir(), command));
        return new ProcessBuilder(argv).inheritIO().start().waitFor();
    }

    /** A node's namespace, or a pod's with its directory. */
    private record Target(NetNs ns, Path podDir) {}

    private Target resolve() throws IOException {
        if (target.startsWith("roster-")) {
            NetNs node = NetNs.named(target);
            if (node.exists()) return new Target(node, null);
        }
        Optional<Path> dir = podDir(dataDir, namespace, target);
        if (dir.isPresent()) {
            String name = dir.get().getFileName().toString();
            NetNs pod = NetNs.named(PodNetwork.namespaceName(ClusterNetwork.PREFIX, name.substring(name.lastIndexOf('_') + 1)));
            if (pod.exists()) return new Target(pod, dir.get());
            throw new IllegalStateException("pod " + namespace + "/" + target + " has no network namespace (is roster running with --dataplane netns?)");
        }
        throw new IllegalArgumentException("no node or pod named " + target + " (pods are looked up in namespace " + namespace
                + " of the roster on " + dataDir + "; nodes are roster-node-1 …)");
    }

    /** The process runtime's directory of the pod: {@code nodes/<node>/pods/<namespace>_<name>_<uid>}. */
    static Optional<Path> podDir(Path dataDir, String namespace, String name) throws IOException {
        Path nodes = dataDir.resolve("nodes");
        if (!Files.isDirectory(nodes)) return Optional.empty();
        String prefix = namespace + "_" + name + "_";
        try (Stream<Path> dirs = Files.list(nodes)) {
            for (Path node : (Iterable<Path>) dirs::iterator) {
                Path pods = node.resolve("pods");
                if (!Files.isDirectory(pods)) continue;
                try (Stream<Path> each = Files.list(pods)) {
                    Optional<Path> dir = each.filter(p -> {
                        String f = p.getFileName().toString();
                        return f.startsWith(prefix) && !f.substring(prefix.length()).contains("_");
                    }).findFirst();
                    if (dir.isPresent()) return dir;
                }
            }
        }
        return Optional.empty();
    }
}
