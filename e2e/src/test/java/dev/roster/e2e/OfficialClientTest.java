package dev.roster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official Kubernetes Java client (io.kubernetes:client-java, Gson/OkHttp): ConfigMap CRUD and list. */
class OfficialClientTest {
    @RegisterExtension
    static final RosterProcess roster = new RosterProcess();

    @Test
    void configMapCreateReadListDelete() throws Exception {
        ApiClient client = Config.fromConfig(roster.kubeconfig().toString());
        CoreV1Api api = new CoreV1Api(client);
        V1ConfigMap body = new V1ConfigMap().metadata(new V1ObjectMeta().name("official").putLabelsItem("client", "java"))
                .data(Map.of("k", "v"));

        V1ConfigMap created = api.createNamespacedConfigMap("default", body).execute();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(api.readNamespacedConfigMap("official", "default").execute().getData()).containsEntry("k", "v");
        assertThat(api.listNamespacedConfigMap("default").labelSelector("client=java").execute().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactly("official");

        api.deleteNamespacedConfigMap("official", "default").execute();
        assertThatThrownBy(() -> api.readNamespacedConfigMap("official", "default").execute())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }
}
