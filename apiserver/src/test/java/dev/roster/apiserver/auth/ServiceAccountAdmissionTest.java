package dev.roster.apiserver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.apiserver.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Upstream's ServiceAccount admission on Pod create: the projected token volume, its mounts, and who gets none. */
class ServiceAccountAdmissionTest {
    @RegisterExtension static final TestServer api = new TestServer();
    static final String NS = "/api/v1/namespaces/default";

    @BeforeAll
    static void accounts() {
        assertEquals(201, api.post(NS + "/serviceaccounts", "{\"metadata\":{\"name\":\"robot\"}}").code());
        assertEquals(201, api.post(NS + "/serviceaccounts", "{\"metadata\":{\"name\":\"quiet\"},\"automountServiceAccountToken\":false}").code());
    }

    static TestServer.Reply pod(String name, String specExtra) {
        return api.post(NS + "/pods", "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + specExtra
                + "\"initContainers\":[{\"name\":\"init\",\"image\":\"busybox\"}],"
                + "\"containers\":[{\"name\":\"a\",\"image\":\"nginx\"},{\"name\":\"b\",\"image\":\"nginx\",\"volumeMounts\":"
                + "[{\"name\":\"own\",\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}]}],"
                + "\"volumes\":[{\"name\":\"own\",\"emptyDir\":{}}]}}");
    }

    @Test
    void anAutomountedTokenGetsUpstreamsVolumeAndMounts() {
        TestServer.Reply r = pod("web", "\"serviceAccountName\":\"robot\",");
        assertEquals(201, r.code(), r.body());
        JsonNode spec = r.json().path("spec");
        JsonNode volume = spec.path("volumes").path(1);
        String name = volume.path("name").asString();
        assertTrue(name.matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
        assertEquals("{\"name\":\"" + name + "\",\"projected\":{\"sources\":["
                + "{\"serviceAccountToken\":{\"expirationSeconds\":3607,\"path\":\"token\"}},"
                + "{\"configMap\":{\"name\":\"kube-root-ca.crt\",\"items\":[{\"key\":\"ca.crt\",\"path\":\"ca.crt\"}]}},"
                + "{\"downwardAPI\":{\"items\":[{\"path\":\"namespace\",\"fieldRef\":{\"apiVersion\":\"v1\",\"fieldPath\":\"metadata.namespace\"}}]}}],"
                + "\"defaultMode\":420}}", volume.toString());
        String mount = "{\"name\":\"" + name + "\",\"readOnly\":true,\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}";
        assertEquals("[" + mount + "]", spec.path("initContainers").path(0).path("volumeMounts").toString());
        assertEquals("[" + mount + "]", spec.path("containers").path(0).path("volumeMounts").toString());
        assertEquals(1, spec.path("containers").path(1).path("volumeMounts").size(), "a container with its own mount there keeps it");
        assertEquals(2, spec.path("volumes").size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SA says no                 | \"serviceAccountName\":\"quiet\",",
        "pod says no                | \"serviceAccountName\":\"robot\",\"automountServiceAccountToken\":false,",
        "default SA not made yet    | ''",
    })
    void noTokenVolume(String why, String specExtra) {
        TestServer.Reply r = pod("p-" + Math.abs(why.hashCode()), specExtra);
        assertEquals(201, r.code(), r.body());
        assertEquals(1, r.json().path("spec").path("volumes").size(), r.body());
        assertFalse(r.json().path("spec").path("containers").path(0).has("volumeMounts"));
    }

    @Test
    void thePodWinsOverTheServiceAccount() {
        TestServer.Reply r = pod("loud", "\"serviceAccountName\":\"quiet\",\"automountServiceAccountToken\":true,");
        assertEquals(201, r.code(), r.body());
        assertEquals(2, r.json().path("spec").path("volumes").size());
    }

    @Test
    void aMissingServiceAccountIsUpstreamsForbidden() {
        TestServer.Reply r = pod("lost", "\"serviceAccountName\":\"ghost\",");
        assertEquals(403, r.code(), r.body());
        assertEquals("pods \"lost\" is forbidden: error looking up service account default/ghost: serviceaccount \"ghost\" not found",
                r.text("message"));
    }
}
