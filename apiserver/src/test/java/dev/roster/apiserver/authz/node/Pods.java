package dev.roster.apiserver.authz.node;

import dev.roster.api.Json;
import dev.roster.apiserver.cache.CacheEvent;
import dev.roster.apiserver.cache.CachedObject;
import tools.jackson.databind.node.ObjectNode;

/** Pods and cache events for the node access tests. */
final class Pods {
    private Pods() {}

    /** A pod in {@code ns} on {@code node} ("" = unbound) whose spec is {@code specJson} plus the node name. */
    static ObjectNode pod(String ns, String name, String node, String specJson) {
        ObjectNode pod = (ObjectNode) Json.parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"namespace\":\"" + ns
                + "\",\"name\":\"" + name + "\",\"uid\":\"uid-" + name + "\"},\"spec\":" + specJson + "}");
        if (!node.isEmpty()) ((ObjectNode) pod.get("spec")).put("nodeName", node);
        return pod;
    }

    static CacheEvent event(CacheEvent.Type type, ObjectNode obj, ObjectNode previous) {
        String key = "/registry/core/pods/" + Json.text(obj, "metadata", "namespace") + "/" + Json.text(obj, "metadata", "name");
        return new CacheEvent(type, new CachedObject(key, obj, 1), previous == null ? null : new CachedObject(key, previous, 1), 1);
    }
}
