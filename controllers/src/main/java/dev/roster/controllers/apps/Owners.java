package dev.roster.controllers.apps;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Objects;

/** Controller references: which object owns which, as the apps controllers and the GC read them. */
final class Owners {
    private Owners() {}

    /** The owner reference with controller=true, or null. */
    static OwnerReference controllerOf(HasMetadata o) {
        if (o.getMetadata().getOwnerReferences() == null) return null;
        for (OwnerReference r : o.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(r.getController())) return r;
        }
        return null;
    }

    static boolean isControlledBy(HasMetadata o, HasMetadata owner) {
        OwnerReference r = controllerOf(o);
        return r != null && Objects.equals(r.getUid(), owner.getMetadata().getUid());
    }

    /** A controller reference to {@code owner}, blocking its foreground deletion as upstream's do. */
    static OwnerReference reference(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
