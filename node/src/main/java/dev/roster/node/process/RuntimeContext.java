package dev.roster.node.process;

import dev.roster.node.dns.PodDns;
import dev.roster.node.probe.Prober;
import dev.roster.runtime.Timers;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What every container of a process-runtime node shares: timers (probe periods, back-off, grace periods), the
 * executor for blocking work, the prober, where the environment comes from, the event writer, the records of
 * running container processes, the user roster runs as (whom containers may run as), where
 * ServiceAccount tokens come from, where pods get their network, how their resolv.conf is formed, and the way back
 * to the agent ({@code requeue} of a pod key).
 */
record RuntimeContext(Timers timers, Executor executor, Prober prober, ContainerEnv.Sources sources,
        ContainerEnv.Node node, Events events, Duration backOffBase, Duration backOffMax, Clock wallClock,
        ProcessRecords processes, ContainerUser.Host host, ServiceAccountTokenSource tokens, PodNetworking network,
        PodDns dns, Consumer<String> requeue) {

    RuntimeContext withRequeue(Consumer<String> r) {
        return new RuntimeContext(timers, executor, prober, sources, node, events, backOffBase, backOffMax, wallClock, processes, host,
                tokens, network, dns, r);
    }
}
