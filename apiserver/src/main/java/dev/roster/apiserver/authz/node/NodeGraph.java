package dev.roster.apiserver.authz.node;

import dev.roster.apiserver.cache.CacheEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import tools.jackson.databind.JsonNode;

/**
 * Which node may reach which object, kept as upstream's node authorizer graph is: a pod bound to a node links the node
 * to every object the pod references; a PersistentVolume links its claim to the volume and to the Secrets its source
 * names. Updated change by change from the watch cache; a question costs a few map look-ups, never a scan.
 */
public final class NodeGraph {
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** Each bound pod (by storage key): its node and what it references. */
    private final Map<String, PodEdges> pods = new HashMap<>();
    /** For each referenced object, the nodes whose pods reference it and through how many pods. */
    private final Map<ObjectRef, Map<String, Integer>> nodesByRef = new HashMap<>();
    /** Each PersistentVolume (by storage key): its name, claim and Secrets. */
    private final Map<String, VolumeEdges> volumes = new HashMap<>();
    private final Map<String, ObjectRef> claimByVolume = new HashMap<>();
    private final Map<ObjectRef, Set<String>> volumesBySecret = new HashMap<>();

    private record PodEdges(String node, Set<ObjectRef> refs) {}

    private record VolumeEdges(String name, ObjectRef claim, Set<ObjectRef> secrets) {}

    /** Applies a change to a pod; pods not bound to a node add nothing. */
    public void onPod(CacheEvent e) {
        String key = e.object().key();
        JsonNode pod = e.type() == CacheEvent.Type.DELETED ? null : e.object().object();
        String node = pod == null ? "" : pod.path("spec").path("nodeName").asString("");
        PodEdges now = node.isEmpty() ? null : new PodEdges(node, References.ofPod(pod));
        lock.writeLock().lock();
        try {
            PodEdges before = now == null ? pods.remove(key) : pods.put(key, now);
            if (before != null) for (ObjectRef r : before.refs()) unlink(r, before.node());
            if (now != null) for (ObjectRef r : now.refs()) nodesByRef.computeIfAbsent(r, k -> new HashMap<>()).merge(node, 1, Integer::sum);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Applies a change to a PersistentVolume: its claimRef and the Secrets its source names. */
    public void onVolume(CacheEvent e) {
        String key = e.object().key();
        VolumeEdges now = null;
        if (e.type() != CacheEvent.Type.DELETED) {
            JsonNode pv = e.object().object();
            JsonNode claimRef = pv.path("spec").path("claimRef");
            String claim = claimRef.path("name").asString("");
            now = new VolumeEdges(pv.path("metadata").path("name").asString(""),
                    claim.isEmpty() ? null : ObjectRef.claim(claimRef.path("namespace").asString(""), claim),
                    References.secretsOfVolume(pv));
        }
        lock.writeLock().lock();
        try {
            VolumeEdges before = now == null ? volumes.remove(key) : volumes.put(key, now);
            if (before != null) {
                claimByVolume.remove(before.name());
                for (ObjectRef s : before.secrets()) {
                    Set<String> pvs = volumesBySecret.get(s);
                    if (pvs != null && pvs.remove(before.name()) && pvs.isEmpty()) volumesBySecret.remove(s);
                }
            }
            if (now != null) {
                if (now.claim() != null) claimByVolume.put(now.name(), now.claim());
                for (ObjectRef s : now.secrets()) volumesBySecret.computeIfAbsent(s, k -> new HashSet<>()).add(now.name());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Whether a pod bound to {@code node} references {@code ref}, directly or, for a PersistentVolume and its Secrets,
     * through the claim a pod of the node uses.
     */
    public boolean related(String node, ObjectRef ref) {
        lock.readLock().lock();
        try {
            if (direct(node, ref)) return true;
            if (ref.kind() == ObjectRef.Kind.PERSISTENT_VOLUME) return volumeRelated(node, ref.name());
            if (ref.kind() == ObjectRef.Kind.SECRET) {
                for (String pv : volumesBySecret.getOrDefault(ref, Set.of())) {
                    if (volumeRelated(node, pv)) return true;
                }
            }
            return false;
        } finally {
            lock.readLock().unlock();
        }
    }

    private boolean volumeRelated(String node, String volume) {
        ObjectRef claim = claimByVolume.get(volume);
        return claim != null && direct(node, claim);
    }

    private boolean direct(String node, ObjectRef ref) {
        Map<String, Integer> nodes = nodesByRef.get(ref);
        return nodes != null && nodes.containsKey(node);
    }

    private void unlink(ObjectRef ref, String node) {
        Map<String, Integer> nodes = nodesByRef.get(ref);
        if (nodes == null) return;
        if (nodes.merge(node, -1, Integer::sum) <= 0) nodes.remove(node);
        if (nodes.isEmpty()) nodesByRef.remove(ref);
    }

    /** How many objects the graph links to some node: for tests that check nothing is left behind. */
    int linkedObjects() {
        lock.readLock().lock();
        try {
            return nodesByRef.size();
        } finally {
            lock.readLock().unlock();
        }
    }
}
