package dev.roster.api.protobuf;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Set;

/**
 * What the protobuf descriptors cannot say about the Go structs behind them, but the JSON form
 * depends on.
 *
 * <p>Go's protobuf marshaller writes every non-pointer scalar, even when it is zero, so a body
 * from kubectl carries {@code generateName: ""}, {@code generation: 0} and so on. Go's JSON
 * encoder then drops those again ({@code omitempty}). We do the same: a zero scalar is left out,
 * unless the Go field is a pointer (there, zero is a choice: {@code replicas: 0},
 * {@code ready: false}) or has no {@code omitempty}; those fields are listed here.
 */
final class GoFieldRules {

    /** "Message.field" of pointer or non-omitempty scalars, where a zero value is kept. */
    private static final Set<String> KEEP_ZERO = Set.of(
            // meta
            "ObjectMeta.deletionGracePeriodSeconds",
            "OwnerReference.controller", "OwnerReference.blockOwnerDeletion",
            "DeleteOptions.gracePeriodSeconds", "DeleteOptions.orphanDependents",
            // apps
            "DeploymentSpec.replicas", "DeploymentSpec.revisionHistoryLimit",
            "DeploymentSpec.progressDeadlineSeconds", "DeploymentStatus.collisionCount",
            "ReplicaSetSpec.replicas", "ReplicaSetStatus.replicas",
            // autoscaling/v1 Scale
            "ScaleStatus.replicas",
            // pods
            "PodSpec.terminationGracePeriodSeconds", "PodSpec.activeDeadlineSeconds",
            "PodSpec.automountServiceAccountToken", "PodSpec.shareProcessNamespace", "PodSpec.priority",
            "PodSpec.enableServiceLinks", "PodSpec.setHostnameAsFQDN", "PodSpec.hostUsers",
            "ContainerPort.containerPort",
            "SecurityContext.privileged", "SecurityContext.runAsUser", "SecurityContext.runAsGroup",
            "SecurityContext.runAsNonRoot", "SecurityContext.readOnlyRootFilesystem",
            "SecurityContext.allowPrivilegeEscalation",
            "PodSecurityContext.runAsUser", "PodSecurityContext.runAsGroup",
            "PodSecurityContext.runAsNonRoot", "PodSecurityContext.fsGroup",
            "Probe.terminationGracePeriodSeconds", "SleepAction.seconds", "GRPCAction.port",
            "ConfigMapVolumeSource.defaultMode", "ConfigMapVolumeSource.optional",
            "SecretVolumeSource.defaultMode", "SecretVolumeSource.optional",
            "ProjectedVolumeSource.defaultMode", "DownwardAPIVolumeSource.defaultMode",
            "KeyToPath.mode", "DownwardAPIVolumeFile.mode",
            "ConfigMapKeySelector.optional", "SecretKeySelector.optional",
            "ConfigMapEnvSource.optional", "SecretEnvSource.optional",
            "ConfigMapProjection.optional", "SecretProjection.optional",
            "ServiceAccountTokenProjection.expirationSeconds", "CSIVolumeSource.readOnly",
            "Toleration.tolerationSeconds",
            "TopologySpreadConstraint.maxSkew", "TopologySpreadConstraint.minDomains",
            "WeightedPodAffinityTerm.weight", "PreferredSchedulingTerm.weight",
            "ContainerStatus.ready", "ContainerStatus.restartCount", "ContainerStatus.started",
            // services, endpoints, slices
            "ServicePort.port", "ServiceSpec.allocateLoadBalancerNodePorts", "ClientIPConfig.timeoutSeconds",
            "EndpointPort.port",
            "EndpointConditions.ready", "EndpointConditions.serving", "EndpointConditions.terminating",
            // nodes
            "DaemonEndpoint.Port",
            // config
            "ConfigMap.immutable", "Secret.immutable", "ServiceAccount.automountServiceAccountToken",
            // leases
            "LeaseSpec.leaseDurationSeconds", "LeaseSpec.leaseTransitions");

    /**
     * Fields that are embedded Go structs ({@code json:",inline"}): their message's fields belong
     * to the enclosing JSON object.
     */
    private static final Set<String> INLINE = Set.of(
            "Probe.handler",
            "Volume.volumeSource",
            "EphemeralContainer.ephemeralContainerCommon",
            "PersistentVolumeSpec.persistentVolumeSource");

    private GoFieldRules() {}

    static boolean keepsZero(FieldDescriptor field) {
        return KEEP_ZERO.contains(key(field));
    }

    static boolean isInline(FieldDescriptor field) {
        return field.getType() == FieldDescriptor.Type.MESSAGE
                && !field.isRepeated()
                && (INLINE.contains(key(field)) || field.getName().equals("localObjectReference"));
    }

    private static String key(FieldDescriptor field) {
        return field.getContainingType().getName() + "." + field.getName();
    }
}
