package dev.roster.storage.sqlite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link SqliteCrashTest}: writes keys until killed and prints
 * {@code ack <key> <revision>} after each write has returned, which is the moment roster promises
 * the write is durable.
 */
public final class CrashWriterMain {
    private CrashWriterMain() {}

    public static void main(String[] args) {
        SqliteStorage storage = SqliteStorage.open(Path.of(args[0]));
        System.out.println("ready " + storage.currentRevision());
        System.out.flush();
        for (long i = 0; ; i++) {
            String key = "/crash/" + i;
            long revision = storage.create(key, ("value-" + i).getBytes(StandardCharsets.UTF_8)).modRevision();
            if (i % 5 == 0) {
                revision = storage.update(key, ("updated-" + i).getBytes(StandardCharsets.UTF_8), revision).modRevision();
            }
            System.out.println("ack " + key + " " + revision);
            System.out.flush();
        }
    }
}
