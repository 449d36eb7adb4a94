package dev.roster.storage;

/** Receives the events of one watch. Called from one thread at a time, in revision order. */
public interface WatchListener {
    void onEvent(WatchEvent event);

    /** The watch ended abnormally (for example the store closed); no more events follow. */
    default void onError(Throwable error) {}
}
