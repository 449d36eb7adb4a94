package dev.roster.api.apply;

import tools.jackson.databind.JsonNode;

/**
 * Removal of what an applier stopped applying, as upstream's prune: a field the applier's
 * previous configuration set goes when neither its new configuration nor any other manager owns
 * it; fields it never set (defaults, fields nobody owns) stay.
 */
final class Prune {
    private Prune() {}

    static JsonNode prune(FieldType schema, JsonNode merged, ManagedFields managed, FieldSet lastApplied) {
        if (lastApplied == null || lastApplied.isEmpty()) return merged;
        FieldSet last = lastApplied.namedFieldsAsMembers();
        FieldSet mergedSet = Typed.toFieldSet(schema, merged).namedFieldsAsMembers();
        FieldSet owned = new FieldSet();
        for (ManagedFields.Entry e : managed.entries().values()) owned = owned.union(e.set());
        owned = owned.namedFieldsAsMembers();
        // everything the previous configuration set, taken out wholesale ...
        JsonNode withoutLast = Typed.removeItems(schema, merged, last);
        FieldSet kept = Typed.toFieldSet(schema, withoutLast).namedFieldsAsMembers();
        // ... then put back what someone owns ...
        JsonNode ownedOnly = Typed.removeItems(schema, merged, mergedSet.difference(kept.union(owned)));
        FieldSet ownedSet = Typed.toFieldSet(schema, ownedOnly).namedFieldsAsMembers();
        // ... and what was only lost because a parent went, not because the applier had set it
        return Typed.removeItems(schema, merged, mergedSet.difference(ownedSet).intersection(last));
    }
}
