package dev.roster.controllers.serviceaccount;

import dev.roster.controllers.ManagedController;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;

/**
 * Upstream's root-ca-cert-publisher: every active namespace has the ConfigMap {@code kube-root-ca.crt} with the
 * cluster CA in {@code ca.crt}, which projected ServiceAccount volumes mount so pods can verify the API server. A
 * changed or deleted ConfigMap is put back. Keys are namespace names.
 */
public final class RootCaPublisher extends ManagedController<RootCaPublisher> {
    public static final String NAME = "kube-root-ca.crt";
    public static final String KEY = "ca.crt";
    static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
            + "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
            + "distributions of Kubernetes clusters.";

    private final KubernetesClient client;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<ConfigMap> configMaps;
    private final String caPem;

    public RootCaPublisher(KubernetesClient client, SharedIndexInformer<Namespace> namespaces, SharedIndexInformer<ConfigMap> configMaps,
            String caPem, Timers timers) {
        super("root-ca-cert-publisher", "root-ca-cert-publisher", timers, 1, namespaces, configMaps);
        this.client = client;
        this.namespaces = namespaces;
        this.configMaps = configMaps;
        this.caPem = caPem;
        namespaces.addEventHandler(Handlers.of(ns -> queue.add(ns.getMetadata().getName()),
                (o, ns) -> queue.add(ns.getMetadata().getName()), ns -> {}));
        configMaps.addEventHandler(Handlers.of(cm -> {}, (o, cm) -> ours(cm), this::ours));
    }

    private void ours(ConfigMap cm) {
        if (NAME.equals(cm.getMetadata().getName())) queue.add(cm.getMetadata().getNamespace());
    }

    @Override
    protected void reconcile(String namespace) {
        if (!Namespaces.active(namespaces.getStore().getByKey(namespace))) return;
        ConfigMap cm = configMaps.getStore().getByKey(namespace + "/" + NAME);
        Map<String, String> data = Map.of(KEY, caPem);
        try {
            if (cm == null) {
                client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(NAME)
                        .withNamespace(namespace).addToAnnotations(DESCRIPTION_ANNOTATION, DESCRIPTION).endMetadata()
                        .withData(data).build()).create();
                return;
            }
            Map<String, String> annotations = cm.getMetadata().getAnnotations();
            if (data.equals(cm.getData()) && annotations != null && annotations.containsKey(DESCRIPTION_ANNOTATION)) return;
            ConfigMap fixed = new ConfigMapBuilder(cm).editMetadata().addToAnnotations(DESCRIPTION_ANNOTATION, DESCRIPTION).endMetadata()
                    .withData(data).build();
            client.configMaps().inNamespace(namespace).resource(fixed).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && !Namespaces.goingAway(e)) throw e;
        }
    }
}
