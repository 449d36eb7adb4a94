package dev.roster.apiserver.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.apiserver.auth.UserInfo;
import dev.roster.apiserver.http.RestRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Authorization attributes read from method, path and query as upstream's RequestInfoFactory reads them. */
class RequestInfoTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
        GET    | /api/v1/namespaces/ns/secrets/s1                          | true  | get              | ''                  | secrets      | ''     | ns  | s1
        GET    | /api/v1/namespaces/ns/secrets                             | true  | list             | ''                  | secrets      | ''     | ns  | ''
        GET    | /api/v1/namespaces/ns/secrets?watch=true                  | true  | watch            | ''                  | secrets      | ''     | ns  | ''
        GET    | /api/v1/watch/namespaces/ns/secrets                       | true  | watch            | ''                  | secrets      | ''     | ns  | ''
        GET    | /api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3Ds1 | true | list        | ''                  | secrets      | ''     | ns  | s1
        GET    | /api/v1/namespaces/ns/secrets?watch=1&fieldSelector=type%3Dx,metadata.name%3D%3Ds1 | true | watch | '' | secrets | '' | ns  | s1
        GET    | /api/v1/secrets                                           | true  | list             | ''                  | secrets      | ''     | ''  | ''
        PUT    | /api/v1/namespaces/ns/pods/p/status                       | true  | update           | ''                  | pods         | status | ns  | p
        PATCH  | /api/v1/nodes/n1/status                                   | true  | patch            | ''                  | nodes        | status | ''  | n1
        POST   | /api/v1/namespaces/ns/serviceaccounts/sa/token            | true  | create           | ''                  | serviceaccounts | token | ns | sa
        DELETE | /api/v1/namespaces/ns/pods                                | true  | deletecollection | ''                  | pods         | ''     | ns  | ''
        DELETE | /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1 | true | delete | coordination.k8s.io | leases       | ''     | kube-node-lease | n1
        GET    | /api/v1/namespaces/ns                                     | true  | get              | ''                  | namespaces   | ''     | ns  | ns
        PUT    | /api/v1/namespaces/ns/finalize                            | true  | update           | ''                  | namespaces   | finalize | ns | ns
        GET    | /apis/apps/v1/deployments                                 | true  | list             | apps                | deployments  | ''     | ''  | ''
        GET    | /healthz                                                  | false | get              | ''                  | ''           | ''     | ''  | ''
        GET    | /apis                                                     | false | get              | ''                  | ''           | ''     | ''  | ''
        GET    | /apis/apps                                                | false | get              | ''                  | ''           | ''     | ''  | ''
        """)
    void reads(String method, String url, boolean resourceRequest, String verb, String group, String resource, String sub,
            String namespace, String name) {
        RequestAttributes a = RequestInfo.of(request(method, url));
        assertEquals(List.of(resourceRequest, verb, group, resource, sub, namespace, name),
                List.of(a.resourceRequest(), a.verb(), a.apiGroup(), a.resource(), a.subresource(), a.namespace(), a.name()));
    }

    private static RestRequest request(String method, String url) {
        int q = url.indexOf('?');
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String kv : url.substring(q + 1).split("&")) {
                String[] p = kv.split("=", 2);
                query.computeIfAbsent(p[0], k -> new ArrayList<>()).add(URLDecoder.decode(p[1], StandardCharsets.UTF_8));
            }
        }
        return new RestRequest(method, q >= 0 ? url.substring(0, q) : url, query, h -> null, () -> new byte[0],
                new UserInfo("u", List.of()));
    }
}
