package dev.roster.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Workqueue keys: {@code namespace/name}, or {@code name} for cluster-scoped objects. */
public final class Keys {
    private Keys() {}

    public static String of(HasMetadata o) {
        return of(o.getMetadata().getNamespace(), o.getMetadata().getName());
    }

    public static String of(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** The namespace of a key ("" for cluster-scoped). */
    public static String namespace(String key) {
        int i = key.indexOf('/');
        return i < 0 ? "" : key.substring(0, i);
    }

    public static String name(String key) {
        int i = key.indexOf('/');
        return i < 0 ? key : key.substring(i + 1);
    }
}
