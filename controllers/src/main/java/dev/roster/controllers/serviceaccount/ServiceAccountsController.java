package dev.roster.controllers.serviceaccount;

import dev.roster.controllers.ManagedController;
import dev.roster.runtime.Handlers;
import dev.roster.runtime.Timers;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Upstream's serviceaccounts-controller: every active namespace has a ServiceAccount named {@code default}, made
 * when the namespace appears and made again when someone deletes it. Keys are namespace names.
 */
public final class ServiceAccountsController extends ManagedController<ServiceAccountsController> {
    public static final String DEFAULT = "default";

    private final KubernetesClient client;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<ServiceAccount> accounts;

    public ServiceAccountsController(KubernetesClient client, SharedIndexInformer<Namespace> namespaces,
            SharedIndexInformer<ServiceAccount> accounts, Timers timers) {
        super("serviceaccount-controller", "service-account-controller", timers, 1, namespaces, accounts);
        this.client = client;
        this.namespaces = namespaces;
        this.accounts = accounts;
        namespaces.addEventHandler(Handlers.of(ns -> queue.add(ns.getMetadata().getName()),
                (o, ns) -> queue.add(ns.getMetadata().getName()), ns -> {}));
        accounts.addEventHandler(Handlers.of(sa -> {}, (o, sa) -> {}, sa -> {
            if (DEFAULT.equals(sa.getMetadata().getName())) queue.add(sa.getMetadata().getNamespace());
        }));
    }

    @Override
    protected void reconcile(String namespace) {
        Namespace ns = namespaces.getStore().getByKey(namespace);
        if (!Namespaces.active(ns)) return;
        if (accounts.getStore().getByKey(namespace + "/" + DEFAULT) != null) return;
        try {
            client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName(DEFAULT).withNamespace(namespace).endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            // 409: made meanwhile (the cache is behind); 403/404 for a namespace going away: nothing to do either
            if (e.getCode() != 409 && !(Namespaces.goingAway(e))) throw e;
        }
    }
}
