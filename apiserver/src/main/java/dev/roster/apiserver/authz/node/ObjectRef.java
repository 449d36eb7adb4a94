package dev.roster.apiserver.authz.node;

/**
 * An object a node may reach through the pods bound to it.
 *
 * @param namespace "" for PersistentVolumes (cluster-scoped)
 */
public record ObjectRef(Kind kind, String namespace, String name) {
    public enum Kind { SECRET, CONFIG_MAP, PERSISTENT_VOLUME_CLAIM, PERSISTENT_VOLUME, SERVICE_ACCOUNT }

    public static ObjectRef secret(String namespace, String name) {
        return new ObjectRef(Kind.SECRET, namespace, name);
    }

    public static ObjectRef configMap(String namespace, String name) {
        return new ObjectRef(Kind.CONFIG_MAP, namespace, name);
    }

    public static ObjectRef claim(String namespace, String name) {
        return new ObjectRef(Kind.PERSISTENT_VOLUME_CLAIM, namespace, name);
    }

    public static ObjectRef volume(String name) {
        return new ObjectRef(Kind.PERSISTENT_VOLUME, "", name);
    }

    public static ObjectRef serviceAccount(String namespace, String name) {
        return new ObjectRef(Kind.SERVICE_ACCOUNT, namespace, name);
    }
}
