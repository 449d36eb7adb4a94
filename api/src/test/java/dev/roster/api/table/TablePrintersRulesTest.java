package dev.roster.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The printing rules people rely on, one cell per case, so a regression names the rule it broke
 * rather than only showing up as a golden diff.
 */
class TablePrintersRulesTest {

    private static final TablePrinters PRINTERS = TablePrinters.builtin();
    private static final ResourceRegistry REGISTRY = ResourceRegistry.builtin();

    @ParameterizedTest(name = "{0}/{1} {2} = {3}")
    @CsvSource(delimiter = '|', textBlock = """
        # resource                        | object                      | column          | cell
        pods                              | running                     | Ready           | 1/1
        pods                              | running                     | Status          | Running
        pods                              | running                     | Age             | 5m
        pods                              | running                     | IP              | 10.244.0.11
        pods                              | pending-unscheduled         | Node            | <none>
        pods                              | container-creating          | Status          | ContainerCreating
        pods                              | crash-loop                  | Status          | CrashLoopBackOff
        pods                              | crash-loop                  | Restarts        | 5 (41s ago)
        pods                              | completed                   | Status          | Completed
        pods                              | completed                   | Ready           | 0/1
        pods                              | exit-code-without-reason    | Status          | ExitCode:137
        pods                              | terminating                 | Status          | Terminating
        pods                              | node-lost                   | Status          | Unknown
        pods                              | deleted-after-success       | Status          | Completed
        pods                              | init-running                | Status          | Init:1/2
        pods                              | init-crash-loop             | Status          | Init:CrashLoopBackOff
        pods                              | init-crash-loop             | Restarts        | 3 (3m ago)
        pods                              | init-error                  | Status          | Init:Error
        pods                              | init-signal                 | Status          | Init:Signal:9
        pods                              | init-pod-initializing       | Status          | Init:0/1
        pods                              | multi-container             | Ready           | 2/3
        pods                              | multi-container             | Restarts        | 3 (3h ago)
        pods                              | sidecar                     | Ready           | 2/2
        pods                              | sidecar                     | Restarts        | 1 (15m ago)
        pods                              | completed-beside-running    | Status          | Running
        pods                              | completed-beside-not-ready  | Status          | NotReady
        pods                              | readiness-gates             | Readiness Gates | 1/2
        pods                              | readiness-gates             | Nominated Node  | node-3
        pods                              | scheduling-gated            | Status          | SchedulingGated
        pods                              | evicted                     | Status          | Evicted
        pods                              | no-timestamp                | Age             | <unknown>
        services                          | nginx                       | Port(s)         | 80/TCP
        services                          | nginx                       | External-IP     | <none>
        services                          | nginx                       | Selector        | app=nginx
        services                          | nodeport                    | Port(s)         | 8080:30080/TCP,443:30443/TCP
        services                          | nodeport                    | Selector        | app=shop,tier=web
        services                          | lb-pending                  | External-IP     | <pending>
        services                          | lb-ingress                  | External-IP     | 203.0.113.5,203.0.113.7,shop-1234567890.elb.example.com,192.0.2.10
        services                          | headless                    | Cluster-IP      | None
        services                          | headless                    | Selector        | <none>
        services                          | external-name               | External-IP     | db.example.com
        services                          | external-name               | Port(s)         | <none>
        endpoints                         | nginx                       | Endpoints       | 10.244.0.11:80,10.244.0.12:80
        endpoints                         | mysql                       | Endpoints       | 10.1.0.118:3306,10.1.0.119:3306,10.1.0.120:3306 + 2 more...
        endpoints                         | multi-port                  | Endpoints       | 10.244.1.5:8080,10.244.1.6:8080,10.244.1.5:9090 + 1 more...
        endpoints                         | only-not-ready              | Endpoints       | ''
        endpoints                         | no-subsets                  | Endpoints       | <none>
        endpoints                         | headless-no-ports           | Endpoints       | 10.244.2.1,10.244.2.2,10.244.2.3 + 1 more...
        endpoints                         | ipv6                        | Endpoints       | [2001:db8::1]:80
        endpointslices.discovery.k8s.io   | nginx-x7k2p                 | Endpoints       | 10.244.0.11,10.244.0.12
        endpointslices.discovery.k8s.io   | mysql-abcde                 | Ports           | 3306,33060,9104 + 1 more...
        endpointslices.discovery.k8s.io   | mysql-abcde                 | Endpoints       | 10.1.0.118,10.1.0.119,10.1.0.120 + 2 more...
        endpointslices.discovery.k8s.io   | empty-slice                 | Ports           | <unset>
        endpointslices.discovery.k8s.io   | empty-slice                 | Endpoints       | <unset>
        endpointslices.discovery.k8s.io   | unnamed-ports               | Ports           | http,*
        deployments.apps                  | nginx                       | Ready           | 2/2
        deployments.apps                  | nginx                       | Containers      | nginx,exporter
        deployments.apps                  | nginx                       | Images          | nginx:1.27,nginx/exporter:1.1
        deployments.apps                  | nginx                       | Selector        | app=nginx
        deployments.apps                  | scaling-up                  | Ready           | 1/5
        deployments.apps                  | scaling-up                  | Selector        | app=shop,!canary,tier in (api,web)
        deployments.apps                  | fresh                       | Ready           | 0/1
        replicasets.apps                  | old-5d9c8b7f6               | Selector        | app,env notin (dev,prod)
        replicasets.apps                  | empty-selector              | Selector        | <none>
        nodes                             | control-plane               | Roles           | control-plane,etcd
        nodes                             | control-plane               | Status          | Ready
        nodes                             | worker-cordoned             | Status          | NotReady,SchedulingDisabled
        nodes                             | worker-cordoned             | Roles           | worker
        nodes                             | worker-cordoned             | OS-Image        | <unknown>
        nodes                             | just-registered             | Status          | Unknown,SchedulingDisabled
        nodes                             | just-registered             | Roles           | <none>
        namespaces                        | going-away                  | Status          | Terminating
        events                            | nginx-6d4cf56db6-x7k2p.17e5a1b2c3d4e5f6 | Last Seen | 4m59s
        events                            | nginx-6d4cf56db6-x7k2p.17e5a1b2c3d4e5f6 | Object    | pod/nginx-6d4cf56db6-x7k2p
        events                            | nginx-6d4cf56db6-x7k2p.17e5a1b2c3d4e5f6 | Source    | default-scheduler, default-scheduler-roster
        events                            | crash-loop.17e5a1b2c3d4e5f7 | Message         | Back-off restarting failed container app in pod crash-loop_default
        events                            | crash-loop.17e5a1b2c3d4e5f7 | First Seen      | 179m
        events                            | crash-loop.17e5a1b2c3d4e5f7 | Source          | kubelet, node-1
        events                            | series.17e5a1b2c3d4e5f8     | Last Seen       | 30m
        events                            | node-1.17e5a1b2c3d4e5f9     | Object          | node
        events.events.k8s.io              | crash-loop.17e5a1b2c3d4e5f7 | Subobject       | spec.containers{app}
        events.events.k8s.io              | crash-loop.17e5a1b2c3d4e5f7 | Last Seen       | 90s
        events.events.k8s.io              | series.17e5a1b2c3d4e5f8     | First Seen      | 120m
        leases.coordination.k8s.io        | node-1                      | Holder          | node-1
        leases.coordination.k8s.io        | kube-controller-manager     | Holder          | ''
        secrets                           | web-tls                     | Type            | kubernetes.io/tls
        """)
    void printsCell(String stem, String object, String column, String expected) {
        ResourceType type = byStem(stem);
        ArrayNode cells = PRINTERS.cells(type, Fixtures.object(type, object), Fixtures.NOW);
        JsonNode cell = cells.get(columnIndex(type, column));
        assertThat(cell.isString() ? cell.asString() : cell.toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}/{1} {2} = {3}")
    @CsvSource(delimiter = '|', textBlock = """
        replicasets.apps     | nginx-7854ff8877            | Desired  | 3
        replicasets.apps     | nginx-7854ff8877            | Ready    | 2
        deployments.apps     | scaling-up                  | Up-to-date | 3
        deployments.apps     | scaling-up                  | Available  | 1
        configmaps           | mixed                       | Data     | 3
        secrets              | db-password                 | Data     | 2
        secrets              | string-data-only            | Data     | 0
        events               | crash-loop.17e5a1b2c3d4e5f7 | Count    | 42
        events               | series.17e5a1b2c3d4e5f8     | Count    | 3
        events               | nginx-6d4cf56db6-x7k2p.17e5a1b2c3d4e5f6 | Count | 1
        events.events.k8s.io | crash-loop.17e5a1b2c3d4e5f7 | Count    | 42
        """)
    void printsNumberCell(String stem, String object, String column, long expected) {
        ResourceType type = byStem(stem);
        JsonNode cell = PRINTERS.cells(type, Fixtures.object(type, object), Fixtures.NOW).get(columnIndex(type, column));
        assertThat(cell.isIntegralNumber()).as("JSON number cell").isTrue();
        assertThat(cell.longValue()).isEqualTo(expected);
    }

    private static ResourceType byStem(String stem) {
        List<ResourceType> matches = REGISTRY.all().stream().filter(t -> Fixtures.stem(t).equals(stem)).toList();
        assertThat(matches).as("resource " + stem).hasSize(1);
        return matches.get(0);
    }

    private static int columnIndex(ResourceType type, String column) {
        ArrayNode defs = PRINTERS.columnDefinitions(type);
        for (int i = 0; i < defs.size(); i++) {
            if (defs.get(i).get("name").asString().equals(column)) return i;
        }
        throw new AssertionError("no column " + column + " for " + type.resource());
    }
}
