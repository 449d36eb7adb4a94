package dev.roster.controllers.rbac;

import dev.roster.controllers.ManagedController;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Upstream's clusterrole-aggregation controller: a ClusterRole with an aggregationRule holds the rules of every
 * other ClusterRole its selectors match (each rule once, roles taken in name order), so adding a role labelled
 * {@code rbac.authorization.k8s.io/aggregate-to-view: "true"} extends view, edit and admin. Any ClusterRole change
 * re-checks every aggregated role.
 */
public final class ClusterRoleAggregationController extends ManagedController<ClusterRoleAggregationController> {
    private final SharedIndexInformer<ClusterRole> roles;
    private final KubernetesClient client;

    /** One worker: aggregation is rare and each pass reads only the informer's cache. */
    public ClusterRoleAggregationController(KubernetesClient client, SharedIndexInformer<ClusterRole> roles, Timers timers) {
        super("clusterrole-aggregation-controller", "clusterrole-aggregation-controller", timers, 1, roles);
        this.roles = roles;
        this.client = client;
        roles.addEventHandler(Handlers.of(r -> enqueueAggregated(), (o, n) -> enqueueAggregated(), r -> enqueueAggregated()));
    }

    private void enqueueAggregated() {
        for (ClusterRole r : roles.getStore().list()) {
            if (r.getAggregationRule() != null) queue.add(r.getMetadata().getName());
        }
    }

    @Override
    protected void reconcile(String name) {
        ClusterRole role = roles.getStore().getByKey(name);
        if (role == null || role.getAggregationRule() == null) return;
        List<PolicyRule> rules = aggregate(role, roles.getStore().list());
        if (rules.equals(role.getRules() == null ? List.of() : role.getRules())) return;
        ClusterRole copy = client.getKubernetesSerialization().clone(role);
        copy.setRules(rules);
        client.rbac().clusterRoles().resource(copy).update();
    }

    /** The rules {@code aggregated} should hold, from the matching roles in name order, each rule once. */
    static List<PolicyRule> aggregate(ClusterRole aggregated, List<ClusterRole> all) {
        List<ClusterRole> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(r -> r.getMetadata().getName()));
        List<PolicyRule> out = new ArrayList<>();
        List<LabelSelector> selectors = aggregated.getAggregationRule().getClusterRoleSelectors();
        for (LabelSelector selector : selectors == null ? List.<LabelSelector>of() : selectors) {
            for (ClusterRole r : sorted) {
                if (r.getMetadata().getName().equals(aggregated.getMetadata().getName())) continue;
                if (!matches(selector, r.getMetadata().getLabels())) continue;
                for (PolicyRule rule : r.getRules() == null ? List.<PolicyRule>of() : r.getRules()) {
                    if (!out.contains(rule)) out.add(rule);
                }
            }
        }
        return out;
    }

    /** A label selector as upstream evaluates it: every label and expression must hold; an empty one matches all. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> have = labels == null ? Map.of() : labels;
        Map<String, String> want = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        List<LabelSelectorRequirement> exprs = selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!e.getValue().equals(have.get(e.getKey()))) return false;
        }
        for (LabelSelectorRequirement r : exprs) {
            String v = have.get(r.getKey());
            List<String> values = r.getValues() == null ? List.of() : r.getValues();
            boolean ok = switch (r.getOperator()) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> false;
            };
            if (!ok) return false;
        }
        return true;
    }
}
