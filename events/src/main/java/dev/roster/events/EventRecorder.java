package dev.roster.events;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.util.Locale;

/**
 * Records events for one component (the {@code source.component} / {@code reportingComponent}, e.g.
 * {@code deployment-controller}) and, for node-local components, one host. Recording never blocks and never
 * fails the caller: events are written in the background by the {@link EventSink}, and dropped when it is
 * overloaded, as client-go's recorder does.
 */
public final class EventRecorder {
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private final EventSink sink;
    private final String component;
    private final String host;

    EventRecorder(EventSink sink, String component, String host) {
        this.sink = sink;
        this.component = component;
        this.host = host;
    }

    /** A recorder that records nothing (components started without an event sink, unit tests). */
    public static EventRecorder discarding(String component) { return new EventRecorder(null, component, null); }

    public String component() { return component; }

    /** A Normal event about {@code object}; {@code messageFormat} is a {@link String#format} pattern. */
    public void normal(HasMetadata object, String reason, String messageFormat, Object... args) {
        record(ref(object), NORMAL, reason, format(messageFormat, args));
    }

    /** A Warning event about {@code object}. */
    public void warning(HasMetadata object, String reason, String messageFormat, Object... args) {
        record(ref(object), WARNING, reason, format(messageFormat, args));
    }

    /** An event about the object {@code ref} points at. */
    public void record(ObjectReference ref, String type, String reason, String message) {
        if (sink != null) sink.submit(new EventSink.Pending(ref, type, reason, message, component, host));
    }

    private static String format(String f, Object... args) {
        return args.length == 0 ? f : String.format(Locale.ROOT, f, args);
    }

    /** A reference to an object as events carry it: kind, namespace, name, uid, apiVersion, resourceVersion. */
    public static ObjectReference ref(HasMetadata o) {
        return new ObjectReferenceBuilder()
                .withKind(o.getKind() != null ? o.getKind() : HasMetadata.getKind(o.getClass()))
                .withNamespace(o.getMetadata().getNamespace())
                .withName(o.getMetadata().getName())
                .withUid(o.getMetadata().getUid())
                .withApiVersion(o.getApiVersion() != null ? o.getApiVersion() : HasMetadata.getApiVersion(o.getClass()))
                .withResourceVersion(o.getMetadata().getResourceVersion())
                .build();
    }
}
