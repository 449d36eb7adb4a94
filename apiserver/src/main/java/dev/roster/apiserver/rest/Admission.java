package dev.roster.apiserver.rest;

import dev.roster.api.ResourceType;
import dev.roster.api.admission.Defaulting;
import dev.roster.api.admission.FieldError;
import dev.roster.api.admission.ServiceAccountVolume;
import dev.roster.api.admission.Validation;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.allocation.ServiceAllocations;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admission chain a write passes before storage: defaulting, ClusterIP/NodePort allocation,
 * then validation. Allocation comes before validation so the stored object is what gets checked;
 * the returned undo gives allocations back when the write does not happen.
 */
public final class Admission {
    private final ServiceAllocations services;
    private final boolean loopbackEndpoints;
    private final java.util.List<AdmissionCheck> checks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile ServiceAccounts serviceAccounts;
    private final java.util.random.RandomGenerator random = new java.security.SecureRandom();

    /** Finds a stored ServiceAccount; empty when there is none. */
    @FunctionalInterface
    public interface ServiceAccounts {
        java.util.Optional<JsonNode> find(String namespace, String name);
    }

    /**
     * Turns on upstream's ServiceAccount admission for new Pods: the named ServiceAccount must exist, and an
     * automounted token gets its projected volume ({@link ServiceAccountVolume}). One exception to upstream: a
     * missing {@code default} ServiceAccount lets the pod in without a token, since the serviceaccounts controller
     * makes it a moment after its namespace and a pod created in the same breath should not fail for that.
     */
    public Admission withServiceAccounts(ServiceAccounts accounts) {
        this.serviceAccounts = accounts;
        return this;
    }

    public Admission(ServiceAllocations services, boolean loopbackEndpoints) {
        this.services = services;
        this.loopbackEndpoints = loopbackEndpoints;
    }

    /** Adds a user-dependent check; checks run in the order added. */
    public Admission add(AdmissionCheck check) {
        checks.add(check);
        return this;
    }

    void check(AdmissionCheck.Attributes attributes) {
        for (AdmissionCheck c : checks) c.check(attributes);
    }

    public ServiceAllocations services() {
        return services;
    }

    /**
     * Defaults, allocates and validates {@code object} (changed in place).
     *
     * @param old the stored version for updates, null for creates
     * @return undo for the allocations made
     * @throws ApiException 422 Invalid with every field error
     */
    Runnable admit(ResourceType type, ObjectNode object, JsonNode old) {
        return admit(type, object, old, null);
    }

    /**
     * The same, calling {@code afterDefaulting} between defaulting and allocation: upstream's
     * field manager sees the decoded (defaulted) object, not what admission adds later, such as
     * an allocated ClusterIP.
     */
    Runnable admit(ResourceType type, ObjectNode object, JsonNode old, java.util.function.Consumer<ObjectNode> afterDefaulting) {
        Defaulting.apply(type, object);
        if (afterDefaulting != null) afterDefaulting.accept(object);
        if (old == null && serviceAccounts != null && type.resource().equals("pods") && type.group().isEmpty()) serviceAccount(type, object);
        Runnable undo = () -> {};
        if (type.resource().equals("services") && type.group().isEmpty()) {
            ServiceAllocations.Result r = old == null ? services.onCreate(object) : services.onUpdate(object, old);
            if (!r.errors().isEmpty()) {
                throw ApiException.invalid(type, Metadata.name(object), r.errors());
            }
            undo = r.undo();
        }
        List<FieldError> errors = Validation.validate(type, object, (ObjectNode) old, loopbackEndpoints);
        if (!errors.isEmpty()) {
            undo.run();
            throw ApiException.invalid(type, Metadata.name(object), errors);
        }
        return undo;
    }

    private void serviceAccount(ResourceType type, ObjectNode pod) {
        if (!(pod.get("spec") instanceof ObjectNode spec)) return;
        if (pod.path("metadata").path("annotations").has("kubernetes.io/config.mirror")) return; // mirror pods: left alone
        String ns = Metadata.namespace(pod);
        String name = spec.path("serviceAccountName").asString("default");
        java.util.Optional<JsonNode> sa = serviceAccounts.find(ns, name);
        if (sa.isEmpty()) {
            if (name.equals("default")) return;
            throw ApiException.forbidden(type.resource() + " \"" + Metadata.name(pod) + "\" is forbidden: error looking up service account "
                    + ns + "/" + name + ": serviceaccount \"" + name + "\" not found");
        }
        if (ServiceAccountVolume.automount(spec, sa.get())) ServiceAccountVolume.mount(spec, random);
    }

    /** After a Service update or delete is stored: frees what the old version held and the new does not. */
    void afterServiceWrite(ResourceType type, JsonNode old, JsonNode now) {
        if (type.resource().equals("services") && type.group().isEmpty() && old != null) {
            services.releaseDropped(old, now);
        }
    }
}
