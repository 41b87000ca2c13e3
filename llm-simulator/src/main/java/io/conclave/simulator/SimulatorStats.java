package io.conclave.simulator;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Counts what the simulator did, so tests and benchmarks can assert on calls, cancellations and concurrency from
 * the outside. Event-loop confined.
 */
final class SimulatorStats {

    static final int RECENT_LIMIT = 1000;

    private final Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
    private final ArrayDeque<CallRecord> recent = new ArrayDeque<>();
    private long calls;
    private long imageParts;

    void received() {
        calls++;
    }

    void finished(CallRecord record) {
        outcomes.merge(record.outcome(), 1L, Long::sum);
        imageParts += record.images().size();
        if (recent.size() == RECENT_LIMIT) {
            recent.removeFirst();
        }
        recent.addLast(record);
    }

    void reset() {
        calls = 0;
        imageParts = 0;
        outcomes.clear();
        recent.clear();
    }

    /** The counters and the last {@code recentLimit} call records, oldest first. */
    StatsSnapshot snapshot(ConcurrencyGate gate, int recentLimit) {
        List<CallRecord> last = recent.stream().skip(Math.max(0, recent.size() - recentLimit)).toList();
        return new StatsSnapshot(calls, count(Outcome.COMPLETED), count(Outcome.CANCELLED), count(Outcome.ERROR429),
                count(Outcome.ERROR500), gate.active(), gate.waiting(), gate.peakActive(), gate.peakWaiting(),
                last, imageParts);
    }

    private long count(Outcome outcome) {
        return outcomes.getOrDefault(outcome, 0L);
    }
}
