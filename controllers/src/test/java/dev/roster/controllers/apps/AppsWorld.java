package dev.roster.controllers.apps;

import dev.roster.controllers.testing.ApiWorld;
import dev.roster.runtime.ExecutorTimers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Deployment and ReplicaSet controllers on a real in-process API server, with a stand-in for the node agent
 * that marks the namespace's pods Running and Ready (unless {@link #podsBecomeReady} is off), so rollouts progress.
 */
final class AppsWorld implements AutoCloseable {
    final ApiWorld world = new ApiWorld();
    final KubernetesClient client = world.client;
    /** Off: new pods stay unready, so a rollout stalls. */
    volatile boolean podsBecomeReady = true;
    private final String namespace;
    private final List<SharedIndexInformer<?>> informers;
    private final ReplicaSetController rsController;
    private final DeploymentController deployController;
    private final ExecutorTimers rsTimers;
    private final ExecutorTimers deploymentTimers;
    private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor();

    /** @param deploymentClock the Deployment controller's clock (the ReplicaSet controller's is the wall clock) */
    AppsWorld(String namespace, Clock deploymentClock) {
        this.namespace = namespace;
        world.namespace(namespace);
        SharedIndexInformer<Deployment> deployments = client.apps().deployments().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<ReplicaSet> replicaSets = client.apps().replicaSets().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().runnableInformer(0);
        informers = List.of(deployments, replicaSets, pods);
        rsTimers = new ExecutorTimers("replicaset-timers");
        deploymentTimers = new ExecutorTimers("deployment-timers", deploymentClock);
        rsController = new ReplicaSetController(client, replicaSets, pods, rsTimers, 2);
        deployController = new DeploymentController(client, deployments, replicaSets, deploymentTimers, 2);
        informers.forEach(SharedIndexInformer::start);
        rsController.start();
        deployController.start();
        kubelet.scheduleWithFixedDelay(this::markPodsReady, 50, 50, TimeUnit.MILLISECONDS);
    }

    /** What the node agent would do: every pod gets an IP and, unless told otherwise, becomes Ready. */
    private void markPodsReady() {
        try {
            for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
                if (!podsBecomeReady || PodStates.isReady(p) || p.getMetadata().getDeletionTimestamp() != null) continue;
                Pod copy = client.getKubernetesSerialization().clone(p);
                copy.getStatus().setPhase("Running");
                copy.getStatus().setPodIP("10.244.0." + (Math.abs(p.getMetadata().getName().hashCode()) % 250 + 2));
                copy.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True")
                        .withLastTransitionTime("2026-01-01T00:00:00Z").build()));
                client.pods().inNamespace(namespace).resource(copy).updateStatus();
            }
        } catch (RuntimeException e) {
            // a conflict with a controller's write: the next tick retries
        }
    }

    @Override
    public void close() {
        kubelet.shutdownNow();
        rsController.close();
        deployController.close();
        rsTimers.close();
        deploymentTimers.close();
        informers.forEach(SharedIndexInformer::stop);
        world.close();
    }
}
