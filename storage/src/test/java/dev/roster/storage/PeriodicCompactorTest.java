package dev.roster.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.storage.memory.MemoryStorage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeriodicCompactorTest {

    /** One tick: how many writes happen before it, and what it must compact to. */
    private record Tick(int writesBefore, long expectedTarget, long expectedCompacted) {}

    @Test
    void eachTickCompactsToTheRevisionSeenOnThePreviousTick() {
        List<Tick> ticks = List.of(
                new Tick(3, 0, 0),   // first tick only observes revision 3
                new Tick(2, 3, 3),   // compacts to 3, observes 5
                new Tick(0, 5, 5),   // compacts to 5, observes 5
                new Tick(0, 0, 5),   // nothing new: already compacted to 5
                new Tick(4, 0, 5),   // observed 5 last time, still nothing to do; observes 9
                new Tick(1, 9, 9));
        try (MemoryStorage storage = new MemoryStorage(); PeriodicCompactor compactor = new PeriodicCompactor(storage)) {
            int key = 0;
            for (int i = 0; i < ticks.size(); i++) {
                Tick tick = ticks.get(i);
                for (int w = 0; w < tick.writesBefore(); w++) {
                    storage.create("/k/" + key++, new byte[0]);
                }
                assertThat(compactor.tick()).as("tick %d", i).isEqualTo(tick.expectedTarget());
                assertThat(storage.compactedRevision()).as("tick %d", i).isEqualTo(tick.expectedCompacted());
            }
        }
    }

    @Test
    void defaultsToUpstreamInterval() {
        try (MemoryStorage storage = new MemoryStorage()) {
            assertThat(new PeriodicCompactor(storage).interval()).isEqualTo(Duration.ofMinutes(5));
            assertThatThrownBy(() -> new PeriodicCompactor(storage, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
