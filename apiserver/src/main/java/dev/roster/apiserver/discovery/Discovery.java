package dev.roster.apiserver.discovery;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.apiserver.http.RestResponse;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * API discovery in both forms: legacy (APIVersions, APIGroupList, APIResourceList per
 * group-version) and aggregated (APIGroupDiscoveryList v2 / v2beta1), chosen by the Accept header.
 * client-go decides which form it got from the response Content-Type, so that must be exact.
 */
public final class Discovery {
    private static final String AGG_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private static final String AGG_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    private final ResourceRegistry registry;
    private final java.util.function.Supplier<String> serverAddress;

    public Discovery(ResourceRegistry registry, java.util.function.Supplier<String> serverAddress) {
        this.registry = registry;
        this.serverAddress = serverAddress;
    }

    /** GET /api or /apis. */
    public RestResponse root(boolean core, String accept) {
        String version = aggregatedVersion(accept);
        if (version != null) {
            byte[] body = Json.bytes(aggregated(core, version));
            return RestResponse.of(200, version.equals("v2") ? AGG_V2 : AGG_V2BETA1, body);
        }
        if (core) {
            ObjectNode v = Json.object();
            v.put("kind", "APIVersions");
            v.putArray("versions").add("v1");
            ObjectNode addr = v.putArray("serverAddressByClientCIDRs").addObject();
            addr.put("clientCIDR", "0.0.0.0/0");
            addr.put("serverAddress", serverAddress.get());
            return RestResponse.json(200, Json.bytes(v));
        }
        ObjectNode list = Json.object();
        list.put("kind", "APIGroupList");
        list.put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        for (String group : namedGroups()) groups.add(group(group));
        return RestResponse.json(200, Json.bytes(list));
    }

    /** GET /apis/{group}; null when the group is not served. */
    public RestResponse group(String group, String accept) {
        if (!namedGroups().contains(group)) return null;
        return RestResponse.json(200, Json.bytes(group(group)));
    }

    /** GET /api/v1 or /apis/{group}/{version}; null when not served. */
    public RestResponse resources(String groupVersion) {
        List<ResourceType> types = registry.all().stream().filter(t -> t.groupVersion().equals(groupVersion)).toList();
        if (types.isEmpty()) return null;
        ObjectNode list = Json.object();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", groupVersion);
        ArrayNode resources = list.putArray("resources");
        for (ResourceType t : types) {
            ObjectNode r = resources.addObject();
            r.put("name", t.resource());
            r.put("singularName", t.singular());
            r.put("namespaced", t.namespaced());
            r.put("kind", t.kind());
            verbs(r.putArray("verbs"), t.verbs());
            if (!t.shortNames().isEmpty()) verbs(r.putArray("shortNames"), t.shortNames());
            if (!t.categories().isEmpty()) verbs(r.putArray("categories"), t.categories());
            if (!t.isReview()) r.put("storageVersionHash", storageVersionHash(t));
            for (String sub : t.subresources()) {
                Sub s = Sub.of(t, sub);
                ObjectNode sr = resources.addObject();
                sr.put("name", t.resource() + "/" + sub);
                sr.put("singularName", "");
                sr.put("namespaced", t.namespaced());
                if (!s.group.equals(t.group()) || !s.version.equals(t.version())) {
                    sr.put("group", s.group);
                    sr.put("version", s.version);
                }
                sr.put("kind", s.kind);
                verbs(sr.putArray("verbs"), s.verbs);
            }
        }
        return RestResponse.json(200, Json.bytes(list));
    }

    private ObjectNode aggregated(boolean core, String version) {
        ObjectNode list = Json.object();
        list.put("kind", "APIGroupDiscoveryList");
        list.put("apiVersion", "apidiscovery.k8s.io/" + version);
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        List<String> groups = core ? List.of("") : namedGroups();
        for (String group : groups) {
            ObjectNode g = items.addObject();
            g.putObject("metadata").put("name", group);
            ArrayNode versions = g.putArray("versions");
            for (String gv : registry.groupVersions()) {
                List<ResourceType> types = registry.all().stream()
                        .filter(t -> t.group().equals(group) && t.groupVersion().equals(gv)).toList();
                if (types.isEmpty()) continue;
                ObjectNode v = versions.addObject();
                v.put("version", types.get(0).version());
                ArrayNode rs = v.putArray("resources");
                for (ResourceType t : types) rs.add(aggregatedResource(t));
                v.put("freshness", "Current");
            }
        }
        return list;
    }

    private static ObjectNode aggregatedResource(ResourceType t) {
        ObjectNode r = Json.object();
        r.put("resource", t.resource());
        ObjectNode kind = r.putObject("responseKind");
        kind.put("group", t.group());
        kind.put("version", t.version());
        kind.put("kind", t.kind());
        r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
        r.put("singularResource", t.singular());
        verbs(r.putArray("verbs"), t.verbs());
        if (!t.shortNames().isEmpty()) verbs(r.putArray("shortNames"), t.shortNames());
        if (!t.categories().isEmpty()) verbs(r.putArray("categories"), t.categories());
        if (!t.subresources().isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (String sub : t.subresources()) {
                Sub s = Sub.of(t, sub);
                ObjectNode sr = subs.addObject();
                sr.put("subresource", sub);
                ObjectNode k = sr.putObject("responseKind");
                k.put("group", s.group);
                k.put("version", s.version);
                k.put("kind", s.kind);
                verbs(sr.putArray("verbs"), s.verbs);
            }
        }
        return r;
    }

    /** What a subresource answers with and which verbs it takes. */
    private record Sub(String group, String version, String kind, List<String> verbs) {
        static Sub of(ResourceType t, String sub) {
            return switch (sub) {
                case "scale" -> new Sub("autoscaling", "v1", "Scale", List.of("get", "patch", "update"));
                case "binding" -> new Sub("", "v1", "Binding", List.of("create"));
                case "token" -> new Sub("authentication.k8s.io", "v1", "TokenRequest", List.of("create"));
                case "log" -> new Sub("", "v1", "Pod", List.of("get"));
                case "finalize" -> new Sub(t.group(), t.version(), t.kind(), List.of("update"));
                default -> new Sub(t.group(), t.version(), t.kind(), List.of("get", "patch", "update"));
            };
        }
    }

    private ObjectNode group(String group) {
        ObjectNode g = Json.object();
        g.put("kind", "APIGroup");
        g.put("apiVersion", "v1");
        g.put("name", group);
        ArrayNode versions = g.putArray("versions");
        String preferred = null;
        for (String gv : registry.groupVersions()) {
            if (!gv.startsWith(group + "/")) continue;
            ObjectNode v = versions.addObject();
            v.put("groupVersion", gv);
            v.put("version", gv.substring(group.length() + 1));
            if (preferred == null) preferred = gv;
        }
        ObjectNode p = g.putObject("preferredVersion");
        p.put("groupVersion", preferred);
        p.put("version", preferred.substring(group.length() + 1));
        return g;
    }

    private List<String> namedGroups() {
        return registry.all().stream().map(ResourceType::group).filter(g -> !g.isEmpty()).distinct().toList();
    }

    /** Which aggregated form the Accept header asks for, or null for legacy discovery. */
    static String aggregatedVersion(String accept) {
        String a = accept.replace(" ", "");
        if (a.contains("g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")) return "v2";
        if (a.contains("g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList")) return "v2beta1";
        return null;
    }

    private static void verbs(ArrayNode arr, List<String> values) {
        values.forEach(arr::add);
    }

    /** A stable short hash of the resource, as upstream publishes for storage migration tools. */
    private static String storageVersionHash(ResourceType t) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((t.group() + "/" + t.version() + "/" + t.kind()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(d, 8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
