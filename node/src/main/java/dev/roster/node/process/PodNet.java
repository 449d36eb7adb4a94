package dev.roster.node.process;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** One pod's network as its containers meet it: where their commands run and where their sockets are created. */
public interface PodNet {
    /** The command line that runs {@code command} in the pod's network (outermost, before mounts and setpriv). */
    List<String> enter(List<String> command);

    /**
     * Runs {@code open} where the pod's sockets must be created: a socket keeps the namespace it was created in, so
     * the built-in workload only opens its channels through this and may bind, accept and serve on any thread.
     */
    <T> T open(Callable<T> open) throws IOException;

    /** The host's own network: commands unchanged, sockets created by the calling thread. */
    PodNet HOST = new PodNet() {
        @Override
        public List<String> enter(List<String> command) { return command; }

        @Override
        public <T> T open(Callable<T> open) throws IOException {
            try {
                return open.call();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    };
}
