package dev.roster.api.apply;

import dev.roster.api.ResourceType;
import java.util.List;

/**
 * Paths no manager owns. Upstream strips identity metadata from every set, and each resource's
 * strategy names the fields an endpoint resets: the main resource never writes the status of a
 * resource with a status subresource, and the status subresource never writes its spec.
 */
final class ResetFields {
    private ResetFields() {}

    private static final FieldSet STATUS = new FieldSet().insert(List.of(PathElement.field("status")));
    private static final FieldSet SPEC = new FieldSet().insert(List.of(PathElement.field("spec")));
    private static final FieldSet META = metaStrip();
    private static final List<List<PathElement>> META_PATHS = META.paths();

    /** The subtrees a write through {@code subresource} (null for the main resource) does not own. */
    static FieldSet of(ResourceType type, String subresource) {
        if (subresource == null) return type.hasSubresource("status") ? STATUS : null;
        return subresource.equals("status") ? SPEC : null;
    }

    /** The set without the members upstream's stripMeta removes (name, uid, resourceVersion, ...). */
    static FieldSet stripMeta(FieldSet set) {
        return set.difference(META);
    }

    /** The same on a set the caller owns, in place: a handful of lookups instead of a copy. */
    static FieldSet stripMetaInPlace(FieldSet set) {
        for (List<PathElement> p : META_PATHS) set.remove(p, 0);
        return set;
    }

    private static FieldSet metaStrip() {
        FieldSet s = new FieldSet();
        s.insert(List.of(PathElement.field("apiVersion")));
        s.insert(List.of(PathElement.field("kind")));
        s.insert(List.of(PathElement.field("metadata")));
        for (String f : new String[] {"name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName",
                "generation", "managedFields", "resourceVersion"}) {
            s.insert(List.of(PathElement.field("metadata"), PathElement.field(f)));
        }
        return s;
    }
}
