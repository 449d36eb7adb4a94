package dev.roster.apiserver.authz.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.authz.RequestAttributes;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Upstream's rule matching: verbs, groups, resources with subresources and wildcards, names, non-resource URLs. */
class PolicyRuleTest {
    /** Rules match on attributes only: who asks does not matter here. */
    private static final UserInfo U = new UserInfo("u", List.of());

    @ParameterizedTest(name = "{0} allows {1}? {2}")
    @CsvSource(delimiter = '|', value = {
        // rule: verbs;groups;resources;names (space separated, _ = empty)  | request: verb group resource/sub name | allowed
        "get list;core;pods;_              | list core pods _           | true",
        "get list;core;pods;_              | watch core pods _          | false",
        "get;core;pods;_                   | get apps pods x            | false",
        "*;*;*;_                           | deletecollection apps deployments _ | true",
        "get;core;pods;_                   | get core pods/log x        | false",
        "get;core;pods/log;_               | get core pods/log x        | true",
        "get;core;pods/log;_               | get core pods x            | false",
        "get;*;*/scale;_                   | get apps deployments/scale d | true",
        "get;*;*/scale;_                   | get apps deployments d     | false",
        "get;*;*/scale;_                   | get apps deployments/status d | false",
        "get update;core;configmaps;cfg    | get core configmaps cfg    | true",
        "get update;core;configmaps;cfg    | get core configmaps other  | false",
        "get update;core;configmaps;cfg    | list core configmaps _     | false",
        "create;core;configmaps;cfg        | create core configmaps _   | false",
        "impersonate;core;serviceaccounts;_ | impersonate core serviceaccounts sa | true",
    })
    void resourceRules(String rule, String request, boolean allowed) {
        String[] r = rule.split(";");
        PolicyRule p = new PolicyRule(words(r[0]), groups(r[1]), words(r[2]), words(r[3]), List.of());
        String[] q = request.split(" ");
        String[] res = q[2].split("/", 2);
        RequestAttributes a = RequestAttributes.resource(U, q[0], q[1].equals("core") ? "" : q[1], res[0],
                res.length > 1 ? res[1] : "", "ns", q[3].equals("_") ? "" : q[3]);
        assertThat(p.allows(a)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} allows {1} {2}? {3}")
    @CsvSource(delimiter = '|', value = {
        "/healthz          | get  | /healthz        | true",
        "/healthz          | get  | /healthz/ping   | false",
        "/healthz/*        | get  | /healthz/ping   | true",
        "/api/*            | get  | /api/v1         | true",
        "/api/*            | get  | /apis/apps      | false",
        "/api*             | get  | /apis/apps      | true",
        "*                 | get  | /anything       | true",
        "/version          | post | /version        | false",
    })
    void nonResourceUrls(String url, String verb, String path, boolean allowed) {
        PolicyRule p = new PolicyRule(List.of("get"), List.of(), List.of(), List.of(), List.of(url));
        assertThat(p.allows(RequestAttributes.nonResource(U, verb, path))).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"get", "list"})
    void aResourceRuleNeverAllowsAPath(String verb) {
        PolicyRule p = PolicyRule.resource(List.of("*"), List.of("*"), List.of("*"));
        assertThat(p.allows(RequestAttributes.nonResource(U, verb, "/healthz"))).isFalse();
    }

    private static List<String> words(String s) {
        return s.equals("_") ? List.of() : List.of(s.trim().split(" "));
    }

    private static List<String> groups(String s) {
        return words(s).stream().map(g -> g.equals("core") ? "" : g).toList();
    }
}
