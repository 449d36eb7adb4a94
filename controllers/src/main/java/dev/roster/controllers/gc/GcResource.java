package dev.roster.controllers.gc;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * A resource the garbage collector follows, as discovery describes it.
 *
 * @param group API group, "" for the core group
 * @param plural the resource's URL name, e.g. "configmaps"
 */
record GcResource(String group, String version, String plural, String kind, boolean namespaced) {

    String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** How owner references and watch events name the kind: {@code <apiVersion>|<kind>}. */
    String id() {
        return id(apiVersion(), kind);
    }

    static String id(String apiVersion, String kind) {
        return apiVersion + "|" + kind;
    }

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withPlural(plural).withKind(kind).withNamespaced(namespaced).build();
    }
}
