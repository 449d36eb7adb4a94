package dev.roster.apiserver.authz.rbac;

import dev.roster.api.Json;
import dev.roster.api.selector.LabelSelector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The default ClusterRoles and ClusterRoleBindings, read from {@code bootstrap-policy.yaml} (upstream's default
 * roles in a shorthand of our own, and the bindings of roster's component identities). Aggregated roles come with
 * their rules already gathered from the defaults, so they hold before the aggregation controller first runs.
 */
public final class BootstrapPolicy {
    public static final String AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";
    public static final String BOOTSTRAPPING = "kubernetes.io/bootstrapping";

    private final Map<String, ObjectNode> clusterRoles;
    private final Map<String, ObjectNode> clusterRoleBindings;

    private BootstrapPolicy(Map<String, ObjectNode> clusterRoles, Map<String, ObjectNode> clusterRoleBindings) {
        this.clusterRoles = clusterRoles;
        this.clusterRoleBindings = clusterRoleBindings;
    }

    private static final class Holder {
        static final BootstrapPolicy DEFAULT = load();
    }

    public static BootstrapPolicy defaults() {
        return Holder.DEFAULT;
    }

    /** ClusterRoles by name, in file order (shared: copy before changing). */
    public Map<String, ObjectNode> clusterRoles() {
        return clusterRoles;
    }

    public Map<String, ObjectNode> clusterRoleBindings() {
        return clusterRoleBindings;
    }

    @SuppressWarnings("unchecked")
    private static BootstrapPolicy load() {
        Map<String, Object> doc;
        try (InputStream in = BootstrapPolicy.class.getResourceAsStream("bootstrap-policy.yaml")) {
            if (in == null) throw new IllegalStateException("bootstrap-policy.yaml is missing from the classpath");
            doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, ObjectNode> roles = new LinkedHashMap<>();
        ((Map<String, Object>) doc.get("clusterRoles")).forEach((name, spec) -> roles.put(name, clusterRole(name, spec)));
        // aggregated roles aggregate each other (view into edit into admin): repeat until nothing changes
        for (boolean changed = true; changed; ) {
            changed = false;
            for (ObjectNode role : roles.values()) {
                if (!role.has("aggregationRule")) continue;
                ArrayNode rules = aggregate(role, roles.values());
                if (!rules.equals(role.get("rules"))) {
                    role.set("rules", rules);
                    changed = true;
                }
            }
        }
        Map<String, ObjectNode> bindings = new LinkedHashMap<>();
        ((Map<String, Object>) doc.get("clusterRoleBindings")).forEach((name, spec) ->
                bindings.put(name, binding(name, (Map<String, Object>) spec)));
        return new BootstrapPolicy(roles, bindings);
    }

    @SuppressWarnings("unchecked")
    private static ObjectNode clusterRole(String name, Object spec) {
        ObjectNode role = object("ClusterRole", name);
        List<Object> rules = spec instanceof List<?> l ? (List<Object>) l : (List<Object>) ((Map<String, Object>) spec).get("rules");
        if (spec instanceof Map<?, ?> m) {
            if (m.get("labels") instanceof String label) role.withObject("metadata").withObject("labels").put(label, "true");
            if (m.get("aggregate") instanceof String label) {
                role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject()
                        .putObject("matchLabels").put(label, "true");
            }
        }
        ArrayNode out = role.putArray("rules");
        for (Object r : rules == null ? List.of() : rules) out.add(rule((Map<String, Object>) r));
        return role;
    }

    /** {g, r, v, n, u} with space-separated values to a PolicyRule's JSON; "core" is the core group "". */
    private static ObjectNode rule(Map<String, Object> r) {
        ObjectNode rule = Json.object();
        if (r.containsKey("g")) {
            ArrayNode groups = rule.putArray("apiGroups");
            for (String g : words(r.get("g"))) groups.add(g.equals("core") ? "" : g);
        }
        put(rule, "resourceNames", r.get("n"));
        put(rule, "resources", r.get("r"));
        put(rule, "nonResourceURLs", r.get("u"));
        put(rule, "verbs", r.get("v"));
        return rule;
    }

    private static void put(ObjectNode rule, String field, Object value) {
        if (value == null) return;
        ArrayNode a = rule.putArray(field);
        for (String w : words(value)) a.add(w);
    }

    private static List<String> words(Object value) {
        return List.of(value.toString().trim().split("\\s+"));
    }

    private static ObjectNode binding(String name, Map<String, Object> spec) {
        ObjectNode b = object("ClusterRoleBinding", name);
        ObjectNode ref = b.putObject("roleRef");
        ref.put("apiGroup", RbacIndex.GROUP);
        ref.put("kind", "ClusterRole");
        ref.put("name", spec.containsKey("role") ? spec.get("role").toString() : name);
        ArrayNode subjects = b.putArray("subjects");
        if (spec.get("user") != null) for (String u : words(spec.get("user"))) subject(subjects, "User", u);
        if (spec.get("group") != null) for (String g : words(spec.get("group"))) subject(subjects, "Group", g);
        return b;
    }

    private static void subject(ArrayNode subjects, String kind, String name) {
        ObjectNode s = subjects.addObject();
        s.put("apiGroup", RbacIndex.GROUP);
        s.put("kind", kind);
        s.put("name", name);
    }

    private static ObjectNode object(String kind, String name) {
        ObjectNode o = Json.object();
        o.put("apiVersion", RbacIndex.GROUP + "/v1");
        o.put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        meta.putObject("annotations").put(AUTOUPDATE, "true");
        meta.putObject("labels").put(BOOTSTRAPPING, "rbac-defaults");
        return o;
    }

    /**
     * The rules an aggregated ClusterRole holds: those of every other role its selectors match, each rule once, in
     * roles' name order, as the aggregation controller gathers them (so it finds nothing to change after a start).
     */
    public static ArrayNode aggregate(JsonNode aggregated, java.util.Collection<? extends JsonNode> all) {
        List<JsonNode> roles = new ArrayList<>(all);
        roles.sort(java.util.Comparator.comparing(r -> r.path("metadata").path("name").asString("")));
        ArrayNode out = Json.array();
        List<JsonNode> seen = new ArrayList<>();
        String self = aggregated.path("metadata").path("name").asString("");
        for (JsonNode selector : aggregated.path("aggregationRule").path("clusterRoleSelectors")) {
            LabelSelector s = LabelSelector.fromJson(selector);
            for (JsonNode role : roles) {
                if (role.path("metadata").path("name").asString("").equals(self)) continue;
                if (!s.matches(labels(role))) continue;
                for (JsonNode r : role.path("rules")) {
                    if (!seen.contains(r)) {
                        seen.add(r);
                        out.add(r.deepCopy());
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode o) {
        Map<String, String> m = new LinkedHashMap<>();
        o.path("metadata").path("labels").properties().forEach(e -> m.put(e.getKey(), e.getValue().asString("")));
        return m;
    }
}
