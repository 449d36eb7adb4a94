package dev.roster.runtime;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** How an API error reads in an event: the Status message the server sent, as a Go client prints its error. */
public final class ApiErrors {
    private ApiErrors() {}

    public static String message(Exception e) {
        if (e instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        return e.getMessage();
    }
}
