package dev.roster.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides how long a key waits before it is retried. Implementations are thread-safe and read time only from
 * the injected {@link Clock}, so tests drive them without sleeping.
 */
public interface RateLimiter {
    /** The delay before {@code key} may be processed again; counts as one more failure of that key. */
    Duration when(String key);

    /** Clears the failure history of {@code key} (after a successful reconcile). */
    void forget(String key);

    /** How many times {@code key} has been rate limited since it was last forgotten. */
    int numRequeues(String key);

    /**
     * Upstream's default controller rate limiter: the larger of a per-key exponential backoff (5 ms doubling up
     * to 1000 s) and an overall token bucket (10 per second, burst 100).
     */
    static RateLimiter defaultControllerRateLimiter(Clock clock) {
        return new MaxOf(new ExponentialFailure(Duration.ofMillis(5), Duration.ofSeconds(1000)),
                new Bucket(clock, 10, 100));
    }

    /** Per key: {@code base · 2^failures}, capped at {@code max}. */
    final class ExponentialFailure implements RateLimiter {
        private final Duration base;
        private final Duration max;
        private final Map<String, Integer> failures = new HashMap<>();

        public ExponentialFailure(Duration base, Duration max) {
            this.base = base;
            this.max = max;
        }

        @Override
        public synchronized Duration when(String key) {
            int n = failures.merge(key, 1, Integer::sum) - 1;
            if (n >= 62) return max;
            double nanos = base.toNanos() * Math.pow(2, n);
            return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
        }

        @Override
        public synchronized void forget(String key) { failures.remove(key); }

        @Override
        public synchronized int numRequeues(String key) { return failures.getOrDefault(key, 0); }
    }

    /** An overall token bucket: {@code qps} tokens per second, at most {@code burst} saved up. Keys are not tracked. */
    final class Bucket implements RateLimiter {
        private final Clock clock;
        private final double qps;
        private final double burst;
        private double tokens;
        private long lastNanos;

        public Bucket(Clock clock, double qps, int burst) {
            this.clock = clock;
            this.qps = qps;
            this.burst = burst;
            this.tokens = burst;
            this.lastNanos = nanos();
        }

        private long nanos() {
            var i = clock.instant();
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        }

        @Override
        public synchronized Duration when(String key) {
            long now = nanos();
            tokens = Math.min(burst, tokens + Math.max(0, now - lastNanos) / 1e9 * qps);
            lastNanos = now;
            tokens -= 1;
            return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-tokens / qps * 1e9));
        }

        @Override
        public void forget(String key) {}

        @Override
        public int numRequeues(String key) { return 0; }
    }

    /** The longest delay of several limiters; requeue counts are the largest of theirs. */
    final class MaxOf implements RateLimiter {
        private final RateLimiter[] limiters;

        public MaxOf(RateLimiter... limiters) { this.limiters = limiters.clone(); }

        @Override
        public Duration when(String key) {
            Duration d = Duration.ZERO;
            for (RateLimiter l : limiters) {
                Duration x = l.when(key);
                if (x.compareTo(d) > 0) d = x;
            }
            return d;
        }

        @Override
        public void forget(String key) {
            for (RateLimiter l : limiters) l.forget(key);
        }

        @Override
        public int numRequeues(String key) {
            int n = 0;
            for (RateLimiter l : limiters) n = Math.max(n, l.numRequeues(key));
            return n;
        }
    }
}
