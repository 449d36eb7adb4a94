package dev.roster.apiserver.authz.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether held rules cover a wanted one, permission by permission, as the escalation check decides. */
class RuleCoverageTest {
    @ParameterizedTest(name = "held {0} covers wanted {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        # rule as verbs;groups;resources;names (_ = none)
        *;*;*;_                 | get list;apps;deployments;_      | true
        get list;core;pods;_    | get;core;pods;_                  | true
        get;core;pods;_         | get list;core;pods;_             | false
        get;core;pods;_         | get;core;pods/log;_              | false
        get;*;*/scale;_         | get;apps;deployments/scale;_     | true
        get;core;configmaps;a   | get;core;configmaps;a            | true
        get;core;configmaps;a   | get;core;configmaps;_            | false
        get;core;configmaps;_   | get;core;configmaps;a b          | true
        get;core;configmaps;a   | get;core;configmaps;a b          | false
        """)
    void coversPermissionByPermission(String held, String wanted, boolean covered) {
        PolicyRule h = rule(held);
        boolean all = RuleCoverage.breakdown(rule(wanted)).stream().allMatch(single -> RuleCoverage.covered(List.of(h), single));
        assertThat(all).isEqualTo(covered);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        get list;core;pods;_    | {APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}
        get;apps;x;a            | {APIGroups:["apps"], Resources:["x"], ResourceNames:["a"], Verbs:["get"]}
        """)
    void compactFormIsUpstreams(String rule, String compact) {
        assertThat(RuleCoverage.compact(rule(rule))).isEqualTo(compact);
    }

    static PolicyRule rule(String s) {
        String[] p = s.split(";");
        return new PolicyRule(words(p[0]), words(p[1]).stream().map(g -> g.equals("core") ? "" : g).toList(), words(p[2]),
                words(p[3]), List.of());
    }

    private static List<String> words(String s) {
        return s.trim().equals("_") ? List.of() : List.of(s.trim().split(" "));
    }
}
