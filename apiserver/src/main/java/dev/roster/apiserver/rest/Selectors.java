package dev.roster.apiserver.rest;

import dev.roster.api.ResourceType;
import dev.roster.api.selector.FieldSelector;
import dev.roster.api.selector.FieldSelectors;
import dev.roster.api.selector.LabelSelector;
import dev.roster.apiserver.ApiException;
import dev.roster.apiserver.cache.CachedObject;
import dev.roster.apiserver.cache.WatchFilter;

/** Turns the labelSelector and fieldSelector query parameters into a filter over cached objects. */
final class Selectors {
    private Selectors() {}

    static WatchFilter filter(ResourceType type, String labelSelector, String fieldSelector) {
        LabelSelector labels;
        FieldSelector fields;
        try {
            labels = labelSelector == null || labelSelector.isBlank() ? null : LabelSelector.parse(labelSelector);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        try {
            fields = fieldSelector == null || fieldSelector.isBlank() ? null : FieldSelector.parse(fieldSelector);
            if (fields != null) FieldSelectors.validate(type, fields);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (labels == null && fields == null) return WatchFilter.ALL;
        LabelSelector l = labels;
        FieldSelector f = fields;
        return (CachedObject o) -> (l == null || l.matches(o.labels()))
                && (f == null || f.matches(FieldSelectors.fields(type, o.object())));
    }
}
