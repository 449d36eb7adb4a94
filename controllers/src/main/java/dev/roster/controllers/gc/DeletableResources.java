package dev.roster.controllers.gc;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resources the garbage collector follows, found through discovery as upstream's does: every resource of each
 * group's preferred version that can be listed, watched and deleted, except events (upstream's default ignored
 * resources: they are many, short-lived, and never own anything).
 */
final class DeletableResources {
    private static final Logger LOG = LoggerFactory.getLogger(DeletableResources.class);
    private static final List<String> VERBS = List.of("list", "watch", "delete");
    /** {@code <group>/<resource>} of the resources left out. */
    private static final Set<String> IGNORED = Set.of("/events", "events.k8s.io/events");

    private DeletableResources() {}

    /**
     * The deletable resources the server serves now. A group whose resources cannot be read is left out (and
     * logged), as upstream goes on with partial discovery; a failure to list the groups themselves throws.
     */
    static List<GcResource> discover(KubernetesClient client) {
        // one request per group-version, all at once: sequential ones made up most of the collector's start-up
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<GcResource>> core = pool.submit(() -> resources(client, "", "v1"));
            List<Future<List<GcResource>>> named = new ArrayList<>();
            for (APIGroup g : client.getApiGroups().getGroups()) {
                if (g.getPreferredVersion() != null) named.add(pool.submit(() -> resources(client, g.getName(), g.getPreferredVersion().getVersion())));
            }
            List<GcResource> out = new ArrayList<>(core.get());
            for (Future<List<GcResource>> f : named) out.addAll(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted during discovery", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("discovery", e.getCause());
        }
    }

    /** The deletable resources of one group-version; none when it cannot be read. */
    private static List<GcResource> resources(KubernetesClient client, String group, String version) {
        String groupVersion = group.isEmpty() ? version : group + "/" + version;
        APIResourceList list;
        try {
            list = client.getApiResources(groupVersion);
        } catch (KubernetesClientException e) {
            LOG.warn("garbage collector: discovery of {} failed, its resources are not followed this time: {}", groupVersion, e.toString());
            return List.of();
        }
        List<GcResource> out = new ArrayList<>();
        if (list == null) return out;
        for (APIResource r : list.getResources()) {
            if (r.getName().contains("/") || IGNORED.contains(group + "/" + r.getName())) continue; // subresources
            if (r.getVerbs() == null || !r.getVerbs().containsAll(VERBS)) continue;
            out.add(new GcResource(group, version, r.getName(), r.getKind(), Boolean.TRUE.equals(r.getNamespaced())));
        }
        return out;
    }
}
