package dev.roster.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A rough single-thread throughput probe for both backends, run by hand:
 * {@code java -cp <test classpath> dev.roster.storage.StorageThroughputMain [creates]}.
 * It prints numbers and asserts nothing; the real benchmarks belong in the bench module (JMH).
 */
public final class StorageThroughputMain {
    private StorageThroughputMain() {}

    public static void main(String[] args) throws Exception {
        int creates = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        for (String kind : StorageFactory.kinds()) {
            Path dir = Files.createTempDirectory("roster-throughput");
            try (Storage storage = StorageFactory.open(kind, dir)) {
                run(kind, storage, creates);
            }
        }
    }

    private static void run(String kind, Storage storage, int creates) {
        byte[] value = new byte[600]; // about one small Pod as JSON
        ThreadLocalRandom.current().nextBytes(value);
        long start = System.nanoTime();
        for (int i = 0; i < creates; i++) {
            storage.create("/registry/pods/default/pod-" + i, value);
        }
        report(kind, "creates", creates, start);

        start = System.nanoTime();
        for (int i = 0; i < creates; i++) {
            storage.update("/registry/pods/default/pod-" + i, value, 0);
        }
        report(kind, "updates", creates, start);

        int gets = creates * 5;
        start = System.nanoTime();
        for (int i = 0; i < gets; i++) {
            storage.get("/registry/pods/default/pod-" + ThreadLocalRandom.current().nextInt(creates)).orElseThrow();
        }
        report(kind, "gets", gets, start);

        int lists = 20;
        start = System.nanoTime();
        for (int i = 0; i < lists; i++) {
            storage.list("/registry/pods/", 0, null, 500);
        }
        report(kind, "lists of 500 (of " + creates + ")", lists, start);
    }

    private static void report(String kind, String what, int count, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%-7s %-28s %8d in %6.2f s = %,10.0f/s%n", kind, what, count, seconds, count / seconds);
    }
}
