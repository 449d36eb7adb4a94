package dev.roster.controllers.serviceaccount;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** What both controllers here ask of a namespace: whether to put something in it. */
final class Namespaces {
    private Namespaces() {}

    /** Exists and is not being deleted (upstream leaves terminating namespaces alone). */
    static boolean active(Namespace ns) {
        return ns != null && ns.getMetadata().getDeletionTimestamp() == null
                && (ns.getStatus() == null || !"Terminating".equals(ns.getStatus().getPhase()));
    }

    /** A create refused because the namespace is gone or terminating. */
    static boolean goingAway(KubernetesClientException e) {
        return e.getCode() == 404 || (e.getCode() == 403 && String.valueOf(e.getMessage()).contains("being terminated"));
    }
}
