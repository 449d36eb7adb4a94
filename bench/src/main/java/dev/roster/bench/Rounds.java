package dev.roster.bench;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Interleaved rounds against a noisy machine: roster, peer, roster, peer, ... and per server the
 * round with the median rate. A burst from a neighbour then spoils one round of one side, not
 * the whole measurement.
 */
final class Rounds {
    static final int ROUNDS = 3;

    private Rounds() {}

    /** One operation number {@code i} on server {@code k}; {@code i} is unique across rounds. */
    interface Op {
        void run(int k, int i);
    }

    static Load.Result[] run(int servers, int clients, int total, long capMillis, Op op) {
        int perRound = Math.max(1, total / ROUNDS);
        Load.Result[][] r = new Load.Result[servers][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            int offset = round * perRound;
            for (int k = 0; k < servers; k++) {
                int server = k;
                r[k][round] = Load.run(clients, perRound, capMillis / ROUNDS, i -> op.run(server, offset + i));
            }
        }
        Load.Result[] median = new Load.Result[servers];
        for (int k = 0; k < servers; k++) {
            Load.Result[] sorted = r[k].clone();
            Arrays.sort(sorted, Comparator.comparingDouble(Load.Result::perSecond));
            median[k] = sorted[ROUNDS / 2];
        }
        return median;
    }
}
