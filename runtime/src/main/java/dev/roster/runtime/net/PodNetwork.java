package dev.roster.runtime.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A pod's own network namespace wired to its node as CNI's ptp plugin does: a veth pair, the pod's IP as a /32 on
 * its eth0 with everything routed through the node, and on the node a /32 route to the pod over the veth, whose end
 * holds the podCIDR's gateway address (the same on every pod veth of a node). Names, from the pod uid's first 11
 * hex digits: namespace {@code roster-pod-<id>}, node-side link {@code veth<id>} (15 characters, the kernel's limit).
 *
 * <p>Two {@code ip -batch} processes per attach (one forked in the node's namespace, one in the pod's), one per
 * detach. Calls for one pod must not overlap (the node agent works on a pod from one worker at a time).
 */
public final class PodNetwork {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{11}");

    private PodNetwork() {}

    /** Creates the pod's namespace and veth, replacing what a crashed run left for the same pod. */
    public static PodAttachment attach(NodeNetwork node, String podUid, String podIp) {
        requireInPodCidr(node, podIp);
        String id = id(podUid);
        NetNs pod = NetNs.named(node.podNamespace(id));
        String veth = "veth" + id;
        String gateway = node.gatewayIp();
        leftovers(node, pod, veth)
                .add("netns add " + pod.name())
                .add("link add " + veth + " type veth peer name eth0 netns " + pod.name())
                .add("addr add " + gateway + "/32 dev " + veth)
                .add("link set " + veth + " up")
                .add("route add " + podIp + "/32 dev " + veth)
                .runIn(node.ns());
        IpBatch inPod = new IpBatch()
                .add("link set lo up")
                .add("addr add " + podIp + "/32 dev eth0")
                .add("link set eth0 up")
                .add("route add " + gateway + " dev eth0 scope link")
                .add("route add default via " + gateway + " dev eth0");
        Undo.onFailure(() -> inPod.runIn(pod), () -> detach(node, podUid));
        return new PodAttachment(pod, podIp, veth);
    }

    /** Removes the pod's namespace, veth and route; nothing to remove is not an error (also once the node is gone). */
    public static void detach(NodeNetwork node, String podUid) {
        String id = id(podUid);
        NetNs pod = NetNs.named(node.podNamespace(id));
        if (!node.ns().exists()) {
            if (pod.exists()) new IpBatch().add("netns delete " + pod.name()).runOnHost();
            return;
        }
        IpBatch batch = leftovers(node, pod, "veth" + id);
        if (!batch.isEmpty()) batch.runIn(node.ns());
    }

    /** The pod's namespace name on {@code node}: {@code roster-pod-<first 11 hex digits of the uid>}. */
    public static String namespaceName(NodeNetwork node, String podUid) {
        return node.podNamespace(id(podUid));
    }

    /** The namespace of the pod with {@code podUid} in the cluster network named {@code prefix} ("roster"). */
    public static String namespaceName(String prefix, String podUid) {
        return prefix + "-pod-" + id(podUid);
    }

    private static IpBatch leftovers(NodeNetwork node, NetNs pod, String veth) {
        IpBatch batch = new IpBatch();
        // the veth goes first: that removes both ends and the pod's route at once, whereas a namespace's teardown
        // is asynchronous and a process still inside it keeps its eth0, and so the node's veth, alive
        if (hasLink(node.ns(), veth)) batch.add("link delete " + veth);
        if (pod.exists()) batch.add("netns delete " + pod.name());
        return batch;
    }

    /** Whether {@code ns} has the link, without a process: /proc/sys/net shows the reading thread's namespace. */
    static boolean hasLink(NetNs ns, String link) {
        return NsThread.callUnchecked(ns, () -> Files.isDirectory(Path.of("/proc/sys/net/ipv4/conf", link)));
    }

    static String id(String podUid) {
        String hex = podUid == null ? "" : podUid.replace("-", "").toLowerCase(Locale.ROOT);
        if (hex.length() < 11 || !ID.matcher(hex.substring(0, 11)).matches()) {
            throw new IllegalArgumentException("pod uid \"" + podUid + "\" does not start with 11 hex digits");
        }
        return hex.substring(0, 11);
    }

    private static void requireInPodCidr(NodeNetwork node, String podIp) {
        String[] cidr = node.podCidr().split("/");
        long mask = (0xffffffffL << (32 - Integer.parseInt(cidr[1]))) & 0xffffffffL;
        long ip = Ipv4.parse(podIp);
        if ((ip & mask) != (Ipv4.parse(cidr[0]) & mask) || podIp.equals(node.gatewayIp())) {
            throw new IllegalArgumentException("pod IP " + podIp + " is not a pod address of " + node.name() + " (" + node.podCidr() + ", gateway " + node.gatewayIp() + ")");
        }
    }
}
