package dev.roster.bench;

import dev.roster.api.Json;
import tools.jackson.databind.node.ObjectNode;

/** The benchmarks' pod: as a Deployment's ReplicaSet creates it, and as roster stores it after that create. */
public final class Pods {
    private Pods() {}

    /** A pod as a Deployment's ReplicaSet would create it: labels, owner, one container with ports, probe and resources. */
    public static String created(String name, int i) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\","
                + "\"labels\":{\"app\":\"web\",\"pod-template-hash\":\"6d4cf56db6\",\"shard\":\"s" + (i % 16) + "\"},"
                + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"web-6d4cf56db6\","
                + "\"uid\":\"5b1c2f1e-8a0e-4f43-9d1b-0c6f2a7f9e11\",\"controller\":true,\"blockOwnerDeletion\":true}]},"
                + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\",\"imagePullPolicy\":\"IfNotPresent\","
                + "\"ports\":[{\"name\":\"http\",\"containerPort\":80,\"protocol\":\"TCP\"}],"
                + "\"env\":[{\"name\":\"INDEX\",\"value\":\"" + i + "\"}],"
                + "\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"},\"limits\":{\"memory\":\"128Mi\"}},"
                + "\"readinessProbe\":{\"httpGet\":{\"path\":\"/\",\"port\":80},\"periodSeconds\":5}}],"
                + "\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\"}}";
    }

    /**
     * {@link #created} pod {@code web-i} as roster stores it: system metadata and the defaults
     * admission adds, no resourceVersion.
     */
    public static String storedPod(int i) {
        ObjectNode pod = (ObjectNode) Json.parse(created("web-" + i, i));
        pod.withObject("metadata").put("namespace", "bench")
                .put("uid", "0b7d3c52-7e0c-4f7a-9b55-" + String.format("%012d", i))
                .put("creationTimestamp", "2026-11-27T03:00:00Z");
        ObjectNode spec = pod.withObject("spec");
        ObjectNode container = (ObjectNode) spec.get("containers").get(0);
        container.withObject("readinessProbe").put("timeoutSeconds", 1).put("successThreshold", 1).put("failureThreshold", 3);
        container.put("terminationMessagePath", "/dev/termination-log").put("terminationMessagePolicy", "File");
        spec.put("schedulerName", "default-scheduler").put("enableServiceLinks", true)
                .put("preemptionPolicy", "PreemptLowerPriority").put("priority", 0).putObject("securityContext");
        pod.putObject("status").put("phase", "Pending").put("qosClass", "Burstable");
        return Json.text(pod);
    }
}
