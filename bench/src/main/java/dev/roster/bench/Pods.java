package dev.roster.bench.jmh;

/** A pod as roster stores it after create: system metadata, defaults, no resourceVersion. */
final class Pods {
    private Pods() {}

    static String storedPod(int i) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-" + i + "\",\"namespace\":\"bench\","
                + "\"uid\":\"0b7d3c52-7e0c-4f7a-9b55-" + String.format("%012d", i) + "\",\"creationTimestamp\":\"2026-11-27T03:00:00Z\","
                + "\"labels\":{\"app\":\"web\",\"pod-template-hash\":\"6d4cf56db6\",\"shard\":\"s" + (i % 16) + "\"},"
                + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"web-6d4cf56db6\","
                + "\"uid\":\"5b1c2f1e-8a0e-4f43-9d1b-0c6f2a7f9e11\",\"controller\":true,\"blockOwnerDeletion\":true}]},"
                + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\",\"imagePullPolicy\":\"IfNotPresent\","
                + "\"ports\":[{\"name\":\"http\",\"containerPort\":80,\"protocol\":\"TCP\"}],"
                + "\"env\":[{\"name\":\"INDEX\",\"value\":\"" + i + "\"}],"
                + "\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"},\"limits\":{\"memory\":\"128Mi\"}},"
                + "\"readinessProbe\":{\"httpGet\":{\"path\":\"/\",\"port\":80},\"periodSeconds\":5,\"timeoutSeconds\":1,"
                + "\"successThreshold\":1,\"failureThreshold\":3},\"terminationMessagePath\":\"/dev/termination-log\","
                + "\"terminationMessagePolicy\":\"File\"}],"
                + "\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\","
                + "\"schedulerName\":\"default-scheduler\",\"enableServiceLinks\":true,\"preemptionPolicy\":\"PreemptLowerPriority\","
                + "\"priority\":0,\"securityContext\":{}},\"status\":{\"phase\":\"Pending\",\"qosClass\":\"Burstable\"}}";
    }
}
