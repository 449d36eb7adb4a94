package dev.roster.controllers.gc;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
        List<GcResource> out = new ArrayList<>();
        addGroupVersion(client, "", "v1", out);
        for (APIGroup g : client.getApiGroups().getGroups()) {
            if (g.getPreferredVersion() == null) continue;
            addGroupVersion(client, g.getName(), g.getPreferredVersion().getVersion(), out);
        }
        return out;
    }

    private static void addGroupVersion(KubernetesClient client, String group, String version, List<GcResource> out) {
        String groupVersion = group.isEmpty() ? version : group + "/" + version;
        APIResourceList list;
        try {
            list = client.getApiResources(groupVersion);
        } catch (KubernetesClientException e) {
            LOG.warn("garbage collector: discovery of {} failed, its resources are not followed this time: {}", groupVersion, e.toString());
            return;
        }
        if (list == null) return;
        for (APIResource r : list.getResources()) {
            if (r.getName().contains("/") || IGNORED.contains(group + "/" + r.getName())) continue; // subresources
            if (r.getVerbs() == null || !r.getVerbs().containsAll(VERBS)) continue;
            out.add(new GcResource(group, version, r.getName(), r.getKind(), Boolean.TRUE.equals(r.getNamespaced())));
        }
    }
}
