package io.conclave.simulator;

import java.util.ArrayDeque;

/**
 * Models a provider's concurrency limit: calls beyond the limit are not rejected but wait in FIFO order, so the
 * queueing delay shows up in their latency as it would against a saturated backend. Event-loop confined.
 */
final class ConcurrencyGate {

    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int limit;
    private int active;
    private int peakActive;
    private int peakWaiting;

    /** @param limit slots, 0 = unlimited */
    ConcurrencyGate(int limit) {
        this.limit = limit;
    }

    /** Runs {@code onGranted} now if a slot is free, otherwise once one frees up for it. */
    void acquire(Runnable onGranted) {
        waiting.addLast(onGranted);
        peakWaiting = Math.max(peakWaiting, waiting.size() - (hasFreeSlot() ? 1 : 0));
        drain();
    }

    /** Removes a waiter that no longer wants its slot; false if it is not waiting. */
    boolean abandon(Runnable waiter) {
        return waiting.remove(waiter);
    }

    void release() {
        active--;
        drain();
    }

    /** Changes the limit at runtime; raising it lets waiters in at once, lowering it lets running calls finish. */
    void limit(int newLimit) {
        limit = newLimit;
        drain();
    }

    int active() {
        return active;
    }

    int waiting() {
        return waiting.size();
    }

    int peakActive() {
        return peakActive;
    }

    int peakWaiting() {
        return peakWaiting;
    }

    void resetPeaks() {
        peakActive = active;
        peakWaiting = waiting.size();
    }

    private boolean hasFreeSlot() {
        return limit == 0 || active < limit;
    }

    private void drain() {
        while (!waiting.isEmpty() && hasFreeSlot()) {
            active++;
            peakActive = Math.max(peakActive, active);
            waiting.removeFirst().run();
        }
    }
}
