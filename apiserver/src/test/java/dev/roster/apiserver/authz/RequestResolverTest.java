package dev.roster.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.http.RestRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Upstream's RequestInfoFactory cases: what a method and path ask for. */
class RequestResolverTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # method | path and query | resource? | verb | group | resource | subresource | namespace | name
        GET    | /api/v1/namespaces/default/pods             | true  | list             |       | pods        |        | default | 
        GET    | /api/v1/namespaces/default/pods?watch=true  | true  | watch            |       | pods        |        | default | 
        GET    | /api/v1/watch/namespaces/default/pods       | true  | watch            |       | pods        |        | default | 
        GET    | /api/v1/pods                                | true  | list             |       | pods        |        |         | 
        GET    | /api/v1/namespaces/default/pods/web         | true  | get              |       | pods        |        | default | web
        GET    | /api/v1/namespaces/default/pods/web/log     | true  | get              |       | pods        | log    | default | web
        POST   | /api/v1/namespaces/default/pods             | true  | create           |       | pods        |        | default | 
        PUT    | /api/v1/namespaces/default/pods/web/status  | true  | update           |       | pods        | status | default | web
        PATCH  | /apis/apps/v1/namespaces/ns/deployments/d/scale | true | patch         | apps  | deployments | scale  | ns      | d
        DELETE | /apis/apps/v1/namespaces/ns/deployments/d   | true  | delete           | apps  | deployments |        | ns      | d
        DELETE | /apis/apps/v1/namespaces/ns/deployments     | true  | deletecollection | apps  | deployments |        | ns      | 
        GET    | /api/v1/namespaces/kube-system              | true  | get              |       | namespaces  |        | kube-system | kube-system
        PUT    | /api/v1/namespaces/gone/finalize            | true  | update           |       | namespaces  | finalize | gone  | gone
        GET    | /api/v1/nodes/n1                            | true  | get              |       | nodes       |        |         | n1
        GET    | /api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dweb | true | list | | pods |      | default | web
        GET    | /apis/rbac.authorization.k8s.io/v1/clusterroles | true | list          | rbac.authorization.k8s.io | clusterroles | | | 
        GET    | /api/v1/namespaces/default/services/web/proxy/x | true | get            |       | services    | proxy  | default | web
        GET    | /api                                        | false | get              |       |             |        |         | 
        GET    | /api/v1                                     | false | get              |       |             |        |         | 
        GET    | /apis/apps/v1                               | false | get              |       |             |        |         | 
        GET    | /healthz                                    | false | get              |       |             |        |         | 
        POST   | /some/where                                 | false | post             |       |             |        |         | 
        """)
    void resolvesAsUpstream(String method, String pathAndQuery, boolean resource, String verb, String group, String res,
            String sub, String ns, String name) {
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        Map<String, List<String>> query = new HashMap<>();
        if (pathAndQuery.contains("?")) {
            String[] kv = pathAndQuery.substring(pathAndQuery.indexOf('?') + 1).split("=", 2);
            query.put(kv[0], List.of(java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8)));
        }
        RequestAttributes a = RequestResolver.resolve(new RestRequest(method, path, query, h -> null, () -> new byte[0]), JANE);
        assertThat(a.resourceRequest()).isEqualTo(resource);
        assertThat(a.verb()).isEqualTo(verb);
        if (resource) {
            assertThat(a.apiGroup()).isEqualTo(orEmpty(group));
            assertThat(a.resource()).isEqualTo(orEmpty(res));
            assertThat(a.subresource()).isEqualTo(orEmpty(sub));
            assertThat(a.namespace()).isEqualTo(orEmpty(ns));
            assertThat(a.name()).isEqualTo(orEmpty(name));
        } else {
            assertThat(a.path()).isEqualTo(path);
        }
    }

    private static final UserInfo JANE = new UserInfo("jane", List.of());

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
