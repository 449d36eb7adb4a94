package dev.roster.runtime.net;

/** Half-built namespaces must not outlive a failure: the undo runs, and its own failure rides along. */
final class Undo {
    private Undo() {}

    static void onFailure(Runnable work, Runnable undo) {
        try {
            work.run();
        } catch (RuntimeException e) {
            try {
                undo.run();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }
}
