package dev.roster.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Informer glue: event handlers that only turn events into keys on a queue. Anything that needs thought (which
 * services a pod change concerns) is a key function, never I/O.
 */
public final class Handlers {
    private Handlers() {}

    /** Enqueues the object's own key on add, update (resourceVersion changed) and delete. */
    public static <T extends HasMetadata> ResourceEventHandler<T> enqueueSelf(WorkQueue queue) {
        return of(o -> queue.add(Keys.of(o)), (o, n) -> queue.add(Keys.of(n)), o -> queue.add(Keys.of(o)));
    }

    /** Enqueues the object's own key on delete only. */
    public static <T extends HasMetadata> ResourceEventHandler<T> enqueueSelfOnDelete(WorkQueue queue) {
        return of(o -> {}, (o, n) -> {}, o -> queue.add(Keys.of(o)));
    }

    /**
     * A handler from three callbacks. Updates whose resourceVersion did not change (informer resyncs) are
     * dropped here, so callbacks only see real changes.
     */
    public static <T extends HasMetadata> ResourceEventHandler<T> of(
            Consumer<T> onAdd, BiConsumer<T, T> onUpdate, Consumer<T> onDelete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) { onAdd.accept(obj); }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                if (oldObj != null && Objects.equals(oldObj.getMetadata().getResourceVersion(),
                        newObj.getMetadata().getResourceVersion())) {
                    return;
                }
                onUpdate.accept(oldObj, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) { onDelete.accept(obj); }
        };
    }
}
