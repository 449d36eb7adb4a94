package dev.roster.api.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import dev.roster.api.admission.Defaulting;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The field manager on whole objects: what upstream records for kubectl's writes, and apply's rules. */
class FieldManagerTest {
    static final ResourceRegistry REGISTRY = ResourceRegistry.builtin();
    static final ResourceType DEPLOYMENTS = REGISTRY.find("apps", "v1", "deployments").orElseThrow();
    static final ResourceType CONFIGMAPS = REGISTRY.find("", "v1", "configmaps").orElseThrow();
    static final ResourceType SERVICES = REGISTRY.find("", "v1", "services").orElseThrow();
    final FieldManager fm = new FieldManager(Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC));

    static ObjectNode o(String s) {
        return (ObjectNode) Json.parse(s.replace('\'', '"'));
    }

    static JsonNode managed(JsonNode obj) {
        return obj.path("metadata").path("managedFields");
    }

    static final String NGINX = "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'nginx','labels':{'app':'nginx'}},"
            + "'spec':{'replicas':1,'selector':{'matchLabels':{'app':'nginx'}},'template':{'metadata':{'labels':{'app':'nginx'}},"
            + "'spec':{'containers':[{'name':'nginx','image':'nginx','resources':{}}]}},'strategy':{}},'status':{}}";

    @Test
    void kubectlCreateDeploymentRecordsWhatUpstreamRecords() {
        ObjectNode d = o(NGINX);
        Defaulting.apply(DEPLOYMENTS, d);
        fm.update(DEPLOYMENTS, null, null, d, "kubectl-create");
        JsonNode entry = managed(d).get(0);
        assertThat(Json.text(entry)).startsWith(
                "{\"manager\":\"kubectl-create\",\"operation\":\"Update\",\"apiVersion\":\"apps/v1\",\"time\":\"2026-01-02T03:04:05Z\",\"fieldsType\":\"FieldsV1\"");
        // upstream's entry for the same command, key for key
        assertThat(entry.get("fieldsV1")).isEqualTo(o("{'f:metadata':{'f:labels':{'.':{},'f:app':{}}},'f:spec':{"
                + "'f:progressDeadlineSeconds':{},'f:replicas':{},'f:revisionHistoryLimit':{},'f:selector':{},"
                + "'f:strategy':{'f:rollingUpdate':{'.':{},'f:maxSurge':{},'f:maxUnavailable':{}},'f:type':{}},"
                + "'f:template':{'f:metadata':{'f:labels':{'.':{},'f:app':{}}},'f:spec':{'f:containers':{'k:{\\'name\\':\\'nginx\\'}':{"
                + "'.':{},'f:image':{},'f:imagePullPolicy':{},'f:name':{},'f:resources':{},'f:terminationMessagePath':{},"
                + "'f:terminationMessagePolicy':{}}},'f:dnsPolicy':{},'f:restartPolicy':{},'f:schedulerName':{},"
                + "'f:securityContext':{},'f:terminationGracePeriodSeconds':{}}}}}"));
        assertThat(entry.has("subresource")).isFalse();
    }

    @Test
    void updatesMergePerManagerAndTakeFieldsFromOthers() {
        ObjectNode cm = o("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'1','b':'2'}}");
        fm.update(CONFIGMAPS, null, null, cm, "creator");
        ObjectNode edited = cm.deepCopy();
        ((ObjectNode) edited.get("data")).put("a", "changed");
        edited.withObject("metadata").remove("managedFields");
        fm.update(CONFIGMAPS, null, cm, edited, "editor");
        assertThat(managed(edited)).hasSize(2);
        assertThat(managed(edited).get(0).path("fieldsV1")).isEqualTo(o("{'f:data':{'.':{},'f:b':{}}}"));
        assertThat(managed(edited).get(1).path("manager").asString()).isEqualTo("editor");
        assertThat(managed(edited).get(1).path("fieldsV1")).isEqualTo(o("{'f:data':{'f:a':{}}}"));
        // a write that changes nothing leaves the entries (and their times) alone
        ObjectNode same = edited.deepCopy();
        fm.update(CONFIGMAPS, null, edited, same, "third");
        assertThat(managed(same)).isEqualTo(managed(edited));
    }

    @Test
    void statusWritesAreRecordedWithTheirSubresourceAndOnlyForStatus() {
        ObjectNode svc = o("{'apiVersion':'v1','kind':'Service','metadata':{'name':'s'},'spec':{'ports':[{'port':80}]},'status':{'loadBalancer':{}}}");
        fm.update(SERVICES, null, null, svc, "kubectl-create");
        assertThat(managed(svc).get(0).path("fieldsV1").has("f:status")).isFalse();
        ObjectNode st = svc.deepCopy();
        st.withObject("status").withObject("loadBalancer").putArray("ingress").addObject().put("ip", "1.2.3.4");
        fm.update(SERVICES, "status", svc, st, "lb-controller");
        JsonNode e = managed(st).get(1);
        assertThat(e.path("subresource").asString()).isEqualTo("status");
        assertThat(e.path("fieldsV1")).isEqualTo(o("{'f:status':{'f:loadBalancer':{'f:ingress':{}}}}"));
    }

    static final String APPLY_A = "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'x':'1'}},'data':{'a':'1','b':'2'}}";

    @Test
    void applyCreatesOwnsWhatItAppliesAndIsIdempotent() {
        ObjectNode created = fm.apply(CONFIGMAPS, null, null, o(APPLY_A), "alice", false);
        assertThat(created.path("data")).isEqualTo(o("{'a':'1','b':'2'}"));
        assertThat(created.path("metadata").has("creationTimestamp")).isFalse();
        JsonNode e = managed(created).get(0);
        assertThat(e.path("operation").asString()).isEqualTo("Apply");
        assertThat(e.path("fieldsV1")).isEqualTo(o("{'f:data':{'f:a':{},'f:b':{}},'f:metadata':{'f:labels':{'f:x':{}}}}"));
        ObjectNode again = fm.apply(CONFIGMAPS, null, created, o(APPLY_A), "alice", false);
        assertThat(again).isEqualTo(created);
    }

    @Test
    void conflictsNameTheOwnerAndThePathAndForceTakesOwnership() {
        ObjectNode created = fm.apply(CONFIGMAPS, null, null, o(APPLY_A), "alice", false);
        ObjectNode bob = o("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'other','c':'3'}}");
        assertThatThrownBy(() -> fm.apply(CONFIGMAPS, null, created, bob, "bob", false))
                .isInstanceOf(ApplyConflict.class)
                .hasMessage("Apply failed with 1 conflict: conflict with \"alice\": .data.a");
        ObjectNode forced = fm.apply(CONFIGMAPS, null, created, bob, "bob", true);
        assertThat(forced.path("data")).isEqualTo(o("{'a':'other','b':'2','c':'3'}"));
        assertThat(managed(forced).get(0).path("fieldsV1")).isEqualTo(o("{'f:data':{'f:b':{}},'f:metadata':{'f:labels':{'f:x':{}}}}"));
        assertThat(managed(forced).get(1).path("fieldsV1")).isEqualTo(o("{'f:data':{'f:a':{},'f:c':{}}}"));
    }

    @Test
    void conflictsWithUpdatersSayTheirApiVersionAndGroupByManager() {
        ObjectNode cm = o("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'1','b':'2'}}");
        fm.update(CONFIGMAPS, null, null, cm, "kubectl-create");
        ObjectNode other = cm.deepCopy();
        ((ObjectNode) other.get("data")).put("z", "9");
        other.withObject("metadata").remove("managedFields");
        fm.update(CONFIGMAPS, null, cm, other, "kubectl-edit");
        ObjectNode config = o("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'x','b':'y','z':'0'}}");
        assertThatThrownBy(() -> fm.apply(CONFIGMAPS, null, other, config, "me", false)).hasMessage(
                "Apply failed with 3 conflicts: conflicts with \"kubectl-create\" using v1:\n- .data.a\n- .data.b\n"
                        + "conflicts with \"kubectl-edit\" using v1:\n- .data.z");
    }

    @Test
    void equalValuesAreSharedAndSurviveOneOwnerLettingGo() {
        ObjectNode a = fm.apply(CONFIGMAPS, null, null, o(APPLY_A), "alice", false);
        ObjectNode b = fm.apply(CONFIGMAPS, null, a, o("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'1'}}"), "bob", false);
        assertThat(managed(b)).hasSize(2);
        // alice stops applying a and b: b goes, a stays because bob still owns it
        ObjectNode c = fm.apply(CONFIGMAPS, null, b, o("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'x':'1'}}}"), "alice", false);
        assertThat(c.path("data")).isEqualTo(o("{'a':'1'}"));
    }

    @Test
    void fieldsAnApplierStopsApplyingAreRemovedButUnownedOnesStay() {
        ObjectNode d = fm.apply(DEPLOYMENTS, null, null, o(NGINX.replace(",'status':{}", "")), "mgr", false);
        Defaulting.apply(DEPLOYMENTS, d);
        assertThat(d.path("spec").path("revisionHistoryLimit").asInt()).isEqualTo(10);
        ObjectNode next = o(NGINX.replace(",'status':{}", "").replace("'nginx','labels':{'app':'nginx'}},'spec':{'replicas':1,", "'nginx'},'spec':{"));
        ObjectNode after = fm.apply(DEPLOYMENTS, null, d, next, "mgr", false);
        assertThat(after.path("spec").has("replicas")).isFalse();
        assertThat(after.path("metadata").has("labels")).isFalse();
        assertThat(after.path("spec").path("revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(after.path("spec").path("template").path("metadata").path("labels").path("app").asString()).isEqualTo("nginx");
    }

    @Test
    void moreThanTenUpdatersFoldTheOldestIntoAncientChanges() {
        ObjectNode cm = o("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{}}");
        for (int i = 0; i < 12; i++) {
            FieldManager at = new FieldManager(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z").plusSeconds(i), ZoneOffset.UTC));
            ObjectNode next = cm.deepCopy();
            ((ObjectNode) next.get("data")).put("k" + i, "v");
            at.update(CONFIGMAPS, null, cm, next, "writer-" + i);
            cm = next;
        }
        JsonNode entries = managed(cm);
        assertThat(entries).hasSize(10);
        // writer-0, -1 and -2 went into one bucket, with the newest of their times
        JsonNode ancient = entries.get(0);
        assertThat(ancient.path("manager").asString()).isEqualTo("ancient-changes");
        assertThat(ancient.path("time").asString()).isEqualTo("2026-01-02T03:04:07Z");
        assertThat(ancient.path("fieldsV1")).isEqualTo(o("{'f:data':{'f:k0':{},'f:k1':{},'f:k2':{}}}"));
        assertThat(entries.get(9).path("manager").asString()).isEqualTo("writer-11");
    }

    @Test
    void badConfigurationsAreRefused() {
        assertThatThrownBy(() -> fm.apply(CONFIGMAPS, null, null, o("{'apiVersion':'v2','kind':'ConfigMap'}"), "m", false))
                .isInstanceOf(ApplyError.class)
                .hasMessage("Incorrect version specified in apply patch. Specified patch version: v2, expected: v1");
        assertThatThrownBy(() -> fm.apply(CONFIGMAPS, null, null, o("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'managedFields':[]}}"), "m", false))
                .hasMessage("metadata.managedFields must be nil");
        assertThatThrownBy(() -> fm.apply(SERVICES, null, null,
                o("{'apiVersion':'v1','kind':'Service','metadata':{'name':'s','namespace':'d'},'spec':{'ports':[{'port':80},{'name':'x'}]}}"), "m", false))
                .isInstanceOf(ApplyError.Internal.class)
                .hasMessage("failed to create typed patch object (d/s; /v1, Kind=Service): .spec.ports: element 1: "
                        + "associative list with keys has an element that omits key field \"port\" (and doesn't have default value)");
    }

    @Test
    void kubectlServerSideTakesOverFromClientSideApply() {
        String lastApplied = "{\"apiVersion\":\"v1\",\"data\":{\"a\":\"1\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"c\",\"namespace\":\"default\"}}\n";
        ObjectNode csa = o("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'default','annotations':{}},'data':{'a':'1'}}");
        csa.withObject("metadata").withObject("annotations").put(FieldManager.LAST_APPLIED, lastApplied);
        fm.update(CONFIGMAPS, null, null, csa, "kubectl-client-side-apply");
        ObjectNode config = o("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'default'},'data':{'a':'2'}}");
        // another manager may not take the field ...
        assertThatThrownBy(() -> fm.apply(CONFIGMAPS, null, csa, config, "someone", false))
                .hasMessage("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .data.a");
        // ... but kubectl's own server-side apply may, and keeps the annotation in step
        ObjectNode ssa = fm.apply(CONFIGMAPS, null, csa, config, "kubectl", false);
        assertThat(ssa.path("data").path("a").asString()).isEqualTo("2");
        assertThat(ssa.path("metadata").path("annotations").path(FieldManager.LAST_APPLIED).asString()).isEqualTo(
                "{\"apiVersion\":\"v1\",\"data\":{\"a\":\"2\"},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":\"default\"}}\n");
    }
}
