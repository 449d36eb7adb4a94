package dev.roster.controllers;

import dev.roster.events.EventRecorder;
import dev.roster.runtime.Controller;
import dev.roster.runtime.Timers;
import dev.roster.runtime.WorkQueue;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;

/**
 * A controller as the {@link ControllerManager} runs it: a runtime {@link Controller} whose workers start once its
 * informers have synced, recording events under its upstream component name.
 *
 * @param <C> the controller's own type, so {@link #withEvents} chains
 */
public abstract class ManagedController<C extends ManagedController<C>> extends Controller {
    private final List<SharedIndexInformer<?>> informers;
    /** Where the controller's events go; discarded until {@link #withEvents} is called. */
    protected volatile EventRecorder events;

    /** With upstream's defaults: the default controller rate limiter on {@code timers}, 15 retries. */
    protected ManagedController(String name, String component, Timers timers, int workers, SharedIndexInformer<?>... informers) {
        this(name, component, WorkQueue.withDefaultRateLimiter(timers), workers, DEFAULT_MAX_RETRIES, informers);
    }

    protected ManagedController(String name, String component, WorkQueue queue, int workers, int maxRetries,
            SharedIndexInformer<?>... informers) {
        super(name, queue, workers, maxRetries);
        this.informers = List.of(informers);
        this.events = EventRecorder.discarding(component);
    }

    /** Events go to this recorder (the component named at construction). */
    @SuppressWarnings("unchecked")
    public C withEvents(EventRecorder recorder) {
        this.events = recorder;
        return (C) this;
    }

    /** Starts the workers once every informer has synced. */
    public void start() {
        start(() -> informers.stream().allMatch(SharedIndexInformer::hasSynced));
    }
}
