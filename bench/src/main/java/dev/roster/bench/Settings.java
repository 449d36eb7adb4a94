package dev.roster.bench;

import java.util.Set;

/** Sizes of a run; {@code --quick} shrinks them for a smoke test. */
record Settings(int warmup, int creates, int gets, int pods, int listCalls, int watchOneObjects, int watchManyObjects,
        int watchers, int startupRuns, long capMillis, long fillCapMillis, Set<String> scenarios, String serverJvmOpts, String out) {

    static Settings parse(String[] args) {
        int warmup = 1000, creates = 5000, gets = 10_000, pods = 10_000, listCalls = 20;
        int watchOne = 5000, watchMany = 500, watchers = 100, startupRuns = 5;
        long cap = 10_000, fillCap = 120_000;
        Set<String> scenarios = Set.of("crud", "client", "fabric8", "list", "watch", "startup", "tls");
        String jvm = "-Xms256m -Xmx2g";
        String out = "bench/target/api-bench.md";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> {
                    warmup = 200; creates = 500; gets = 2000; pods = 1000; listCalls = 5;
                    watchOne = 500; watchMany = 50; watchers = 10; startupRuns = 1; cap = 5_000; fillCap = 20_000;
                }
                case "--only" -> scenarios = Set.of(args[++i].split(","));
                case "--creates" -> creates = Integer.parseInt(args[++i]);
                case "--gets" -> gets = Integer.parseInt(args[++i]);
                case "--pods" -> pods = Integer.parseInt(args[++i]);
                case "--list-calls" -> listCalls = Integer.parseInt(args[++i]);
                case "--watchers" -> watchers = Integer.parseInt(args[++i]);
                case "--startup-runs" -> startupRuns = Integer.parseInt(args[++i]);
                case "--cap-seconds" -> cap = Long.parseLong(args[++i]) * 1000;
                case "--fill-cap-seconds" -> fillCap = Long.parseLong(args[++i]) * 1000;
                case "--server-jvm-opts" -> jvm = args[++i];
                case "--out" -> out = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (known: --quick --only crud,client,fabric8,list,watch,startup,tls --creates N --gets N --pods N --list-calls N"
                        + " --watchers N --startup-runs N --cap-seconds N --fill-cap-seconds N --server-jvm-opts '...' --out FILE)");
            }
        }
        return new Settings(warmup, creates, gets, pods, listCalls, watchOne, watchMany, watchers, startupRuns, cap, fillCap,
                scenarios, jvm, out);
    }
}
