package dev.roster.runtime.net;

import java.io.IOException;

/**
 * The three system calls {@link NsThread} needs, implemented with the FFM API in src/main/java22
 * ({@code FfmNamespaceSwitch}); an interface so the release-21 code can hold it without naming Java 22 types.
 */
interface NamespaceSwitch {
    /** A read-only, close-on-exec descriptor of a namespace file such as {@code /run/netns/NAME}. */
    int open(String path) throws IOException;

    /** Moves the calling OS thread into the network namespace {@code fd} refers to (setns(2)). */
    void enter(int fd) throws IOException;

    void close(int fd);
}
