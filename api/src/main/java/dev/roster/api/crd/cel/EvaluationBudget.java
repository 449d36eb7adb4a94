package dev.roster.api.crd.cel;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The cost budget of one object's validation, as upstream bounds it: each expression evaluation (a "call") may
 * spend at most {@link #PER_CALL_LIMIT}, all of them together {@link #TOTAL}, and the whole validation may take at
 * most a wall-clock limit. dev.cel has no cost tracker, so the cost here is the number of expression nodes the
 * interpreter evaluates (loop bodies count once per iteration), which is close to cel-go's base cost.
 */
final class EvaluationBudget {
    /** Upstream's PerCallLimit and RuntimeCELCostBudget. */
    static final long PER_CALL_LIMIT = 1_000_000;
    static final long TOTAL = 10_000_000;
    private static final int CLOCK_CHECK_EVERY = 100;

    /** The limits of one validation; tests lower them and pass a fake clock. */
    record Limits(long perCall, long total, LongSupplier nanoClock, long timeNanos) {
        /** Upstream's numbers; its cost budget amounts to about a second, and traced dev.cel is slower than cel-go. */
        static final Limits UPSTREAM = new Limits(PER_CALL_LIMIT, TOTAL, System::nanoTime, 2_000_000_000L);
    }

    private final Limits limits;
    private final long deadline;
    private long remaining;

    EvaluationBudget(Limits limits) {
        this.limits = limits;
        this.remaining = limits.total();
        this.deadline = limits.nanoClock().getAsLong() + limits.timeNanos();
    }

    long remaining() {
        return remaining;
    }

    boolean exhausted() {
        return remaining <= 0;
    }

    /** Evaluates, charging what the evaluation cost; throws when the call or the whole budget ran out. */
    Object eval(CelRuntime.Program program, Map<String, ?> variables) throws CelEvaluationException {
        Counter counter = new Counter();
        try {
            return program.trace(variables, counter);
        } finally {
            remaining -= counter.cost;
        }
    }

    /** The call went over its limit; the validation stops. */
    static final class CallLimitExceeded extends RuntimeException {
        CallLimitExceeded() {
            super("operation cancelled: actual cost limit exceeded", null, false, false);
        }
    }

    /** The validation's whole budget ran out; it stops. */
    static final class OutOfBudget extends RuntimeException {
        OutOfBudget() {
            super("validation failed due to running out of cost budget, no further validation rules will be run",
                    null, false, false);
        }
    }

    /** The wall-clock limit passed; the validation stops. */
    static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("operation interrupted", null, false, false);
        }
    }

    private final class Counter implements dev.cel.runtime.CelEvaluationListener {
        long cost;

        @Override
        public void callback(dev.cel.common.ast.CelExpr expr, Object result) {
            cost++;
            if (cost > limits.perCall()) throw new CallLimitExceeded();
            if (cost > remaining) throw new OutOfBudget();
            if (cost % CLOCK_CHECK_EVERY == 0 && limits.nanoClock().getAsLong() - deadline > 0) throw new Interrupted();
        }
    }
}
