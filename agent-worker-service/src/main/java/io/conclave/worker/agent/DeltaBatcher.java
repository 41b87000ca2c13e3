package io.conclave.worker.agent;

import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Groups a final reply's tokens into batches, so a client sees the answer grow without one Kafka record per
 * token. A batch goes out when it is big enough or old enough; the age is checked when a token arrives, so a
 * stalled stream holds its last few characters until the next token or the end. One per sub-task; called from
 * the sub-task's context only.
 */
final class DeltaBatcher {

    private final int batchChars;
    private final long maxDelayNanos;
    private final LongSupplier nanoTime;
    private final BiConsumer<String, Long> send;
    private final StringBuilder pending = new StringBuilder();
    private long lastSentAt;
    private long sequence;

    /** @param send receives each batch's text and its sequence number, from 1 */
    DeltaBatcher(int batchChars, Duration maxDelay, LongSupplier nanoTime, BiConsumer<String, Long> send) {
        this.batchChars = batchChars;
        this.maxDelayNanos = maxDelay.toNanos();
        this.nanoTime = nanoTime;
        this.send = send;
        this.lastSentAt = nanoTime.getAsLong();
    }

    void add(String delta) {
        if (delta.isEmpty()) {
            return;
        }
        pending.append(delta);
        if (pending.length() >= batchChars || nanoTime.getAsLong() - lastSentAt >= maxDelayNanos) {
            flush();
        }
    }

    /** Sends what is left; call once the stream has ended. */
    void finish() {
        flush();
    }

    private void flush() {
        if (pending.length() == 0) {
            return;
        }
        send.accept(pending.toString(), ++sequence);
        pending.setLength(0);
        lastSentAt = nanoTime.getAsLong();
    }
}
