package io.conclave.worker.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeltaBatcherTest {

    private final AtomicLong now = new AtomicLong();
    private final List<String> sent = new ArrayList<>();
    private final List<Long> sequences = new ArrayList<>();
    private final DeltaBatcher batcher = new DeltaBatcher(10, Duration.ofMillis(100), now::get, (text, seq) -> {
        sent.add(text);
        sequences.add(seq);
    });

    @Test
    void sendsABatchOnceItIsBigEnough() {
        batcher.add("Hello ");
        assertEquals(List.of(), sent);
        batcher.add("world, ");
        batcher.add("and ");
        batcher.add("");
        batcher.finish();
        assertEquals(List.of("Hello world, ", "and "), sent);
        assertEquals(List.of(1L, 2L), sequences);
    }

    @Test
    void sendsABatchOnceItIsOldEnough() {
        batcher.add("a");
        now.addAndGet(Duration.ofMillis(100).toNanos());
        batcher.add("b");
        assertEquals(List.of("ab"), sent);
    }

    @Test
    void finishSendsNothingWhenNothingIsLeft() {
        batcher.add("exactly10!");
        batcher.finish();
        assertEquals(List.of("exactly10!"), sent);
    }
}
