package dev.roster.cli;

import dev.roster.proxy.userspace.ServiceTrace;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code roster trace svc/NAME | IP:PORT}: the path a new connection to a Service takes now. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Show the path a new connection takes now: Service -> ClusterIP:port (NodePort, LoadBalancer)",
                "-> the ready endpoints and their share -> pod, node, container.",
                "Talks to the API server of the current kubeconfig context, like kubectl."})
final class TraceCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TARGET", description = "svc/NAME, or IP:PORT (a ClusterIP, LoadBalancer, external IP or NodePort)")
    String target;

    @Option(names = {"-n", "--namespace"}, description = "Namespace of svc/NAME (default: the context's namespace, else default).")
    String namespace;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig to use (default: $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", description = "kubeconfig context to use (default: the current context).")
    String context;

    @Override
    public Integer call() {
        Config config = kubeconfig != null
                ? Config.fromKubeconfig(context, kubeconfig.toFile())
                : Config.autoConfigure(context);
        String ns = namespace != null ? namespace : config.getNamespace() != null ? config.getNamespace() : "default";
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build()).build()) {
            spec.commandLine().getOut().print(new ServiceTrace(client).trace(target, ns));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (ServiceTrace.NotFound e) {
            spec.commandLine().getErr().println("roster trace: " + e.getMessage());
            return 1;
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("cannot reach the API server at " + config.getMasterUrl() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
    }

}
