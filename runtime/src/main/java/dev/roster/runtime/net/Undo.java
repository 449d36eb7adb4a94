package dev.roster.runtime.net;

/** Half-built namespaces must not outlive a failure: the undo runs, and its own failure rides along. */
final class Undo {
    private Undo() {}

    static void onFailure(Runnable work, Runnable undo) {
        try {
            work.run();
        } catch (RuntimeException e) {
            attempt(undo, e);
            throw e;
        }
    }

    private static void attempt(Runnable undo, RuntimeException failure) {
        try {
            undo.run();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
