package dev.roster.apiserver.authz.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.authz.Decision;
import dev.roster.apiserver.authz.RequestAttributes;
import dev.roster.apiserver.cache.CacheEvent;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Node authorizer's answers for node n1, whose pod "web" in ns uses Secret s1, ConfigMap c1, claim d1, SA runner. */
class NodeAuthorizerTest {
    static final String NO_RELATIONSHIP = "no relationship found between node 'n1' and this object";

    static NodeAuthorizer authorizer() {
        NodeGraph g = new NodeGraph();
        g.onPod(Pods.event(CacheEvent.Type.ADDED, Pods.pod("ns", "web", "n1", """
                {"serviceAccountName":"runner","containers":[{"name":"c","envFrom":[{"configMapRef":{"name":"c1"}}]}],
                 "volumes":[{"name":"s","secret":{"secretName":"s1"}},{"name":"d","persistentVolumeClaim":{"claimName":"d1"}}]}"""), null));
        g.onPod(Pods.event(CacheEvent.Type.ADDED, Pods.pod("ns", "other", "n2", """
                {"containers":[{"name":"c"}],"volumes":[{"name":"s","secret":{"secretName":"s2"}}]}"""), null));
        return new NodeAuthorizer(g);
    }

    @ParameterizedTest(name = "{0} {1} {2}/{3} {4}/{5} {6} → {7}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        # user             | verb   | group              | resource               | namespace       | name   | sub    | decision   | reason
        system:node:n1     | get    | ''                 | secrets                | ns              | s1     | ''     | ALLOW      | ''
        system:node:n1     | watch  | ''                 | secrets                | ns              | s1     | ''     | ALLOW      | ''
        system:node:n1     | list   | ''                 | secrets                | ns              | s1     | ''     | ALLOW      | ''
        system:node:n1     | get    | ''                 | secrets                | ns              | s2     | ''     | DENY       | no relationship found between node 'n1' and this object
        system:node:n2     | get    | ''                 | secrets                | ns              | s1     | ''     | DENY       | no relationship found between node 'n2' and this object
        system:node:n1     | list   | ''                 | secrets                | ns              | ''     | ''     | DENY       | No Object name found
        system:node:n1     | update | ''                 | secrets                | ns              | s1     | ''     | DENY       | can only read resources of this type
        system:node:n1     | get    | ''                 | secrets                | ''              | s1     | ''     | DENY       | can only read namespaced object of this type
        system:node:n1     | get    | ''                 | configmaps             | ns              | c1     | ''     | ALLOW      | ''
        system:node:n1     | get    | ''                 | configmaps             | ns              | s1     | ''     | DENY       | no relationship found between node 'n1' and this object
        system:node:n1     | get    | ''                 | persistentvolumeclaims | ns              | d1     | ''     | ALLOW      | ''
        system:node:n1     | list   | ''                 | persistentvolumeclaims | ns              | d1     | ''     | DENY       | can only get individual resources of this type
        system:node:n1     | patch  | ''                 | persistentvolumeclaims | ns              | d1     | status | ALLOW      | ''
        system:node:n1     | get    | ''                 | persistentvolumes      | ''              | pv1    | ''     | DENY       | no relationship found between node 'n1' and this object
        system:node:n1     | create | ''                 | serviceaccounts        | ns              | runner | token  | ALLOW      | ''
        system:node:n1     | create | ''                 | serviceaccounts        | ns              | default| token  | DENY       | no relationship found between node 'n1' and this object
        system:node:n1     | get    | ''                 | serviceaccounts        | ns              | runner | ''     | DENY       | can only create tokens for individual service accounts
        system:node:n1     | update | coordination.k8s.io| leases                 | kube-node-lease | n1     | ''     | ALLOW      | ''
        system:node:n1     | create | coordination.k8s.io| leases                 | kube-node-lease | ''     | ''     | ALLOW      | ''
        system:node:n1     | update | coordination.k8s.io| leases                 | kube-node-lease | n2     | ''     | DENY       | can only access node lease with the same name as the requesting node
        system:node:n1     | get    | coordination.k8s.io| leases                 | default         | n1     | ''     | DENY       | can only access leases in the "kube-node-lease" system namespace
        system:node:n1     | list   | coordination.k8s.io| leases                 | kube-node-lease | ''     | ''     | DENY       | can only get, create, update, patch, or delete a node lease
        system:node:n1     | patch  | ''                 | nodes                  | ''              | n1     | status | ALLOW      | ''
        system:node:n1     | get    | ''                 | nodes                  | ''              | n1     | ''     | ALLOW      | ''
        system:node:n1     | patch  | ''                 | nodes                  | ''              | n2     | ''     | NO_OPINION | ''
        system:node:n1     | list   | ''                 | pods                   | ''              | ''     | ''     | NO_OPINION | ''
        system:node:n1     | create | ''                 | events                 | ns              | ''     | ''     | NO_OPINION | ''
        system:node:       | get    | ''                 | secrets                | ns              | s1     | ''     | DENY       | unknown node for user "system:node:"
        alice              | get    | ''                 | secrets                | ns              | s2     | ''     | NO_OPINION | ''
        """)
    void decides(String user, String verb, String group, String resource, String namespace, String name, String sub,
            Decision.Kind kind, String reason) {
        RequestAttributes a = RequestAttributes.resource(new UserInfo(user, List.of("system:nodes", "system:authenticated")),
                verb, group, resource, sub, namespace, name);
        Decision d = authorizer().authorize(a);
        assertEquals(kind, d.kind());
        assertEquals(reason, d.reason());
    }

    @ParameterizedTest
    @CsvSource({"system:node:n1, system:authenticated", "n1, system:nodes"})
    void onlyANodeNameInTheNodesGroupIsANode(String user, String group) {
        RequestAttributes a = RequestAttributes.resource(new UserInfo(user, List.of(group)), "get", "", "secrets", "", "ns", "s2");
        assertEquals(Decision.Kind.NO_OPINION, authorizer().authorize(a).kind());
    }
}
