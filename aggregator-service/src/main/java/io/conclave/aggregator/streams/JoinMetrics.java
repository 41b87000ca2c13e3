package io.conclave.aggregator.streams;

import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The join's counters, registered up front so they read 0 rather than missing before the first event. */
public final class JoinMetrics {

    private final Map<RequestStatus, Counter> outcomes = new EnumMap<>(RequestStatus.class);
    private final Counter late;
    private final Counter duplicates;
    private final Counter orphaned;
    private final Counter deadLettered;
    private final Counter callsSaved;
    private final Counter earlyStops;
    private final Counter outputTokens;
    private final Counter notesTokens;
    private final Counter tokensSaved;

    public JoinMetrics(MeterRegistry registry) {
        for (RequestStatus status : RequestStatus.values()) {
            outcomes.put(status, Counter.builder("conclave.join.outcomes")
                    .description("Requests answered by the join, by how they ended")
                    .tag("result", status.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        late = Counter.builder("conclave.join.late")
                .description("Partials dropped because their join was already released or closed")
                .register(registry);
        duplicates = Counter.builder("conclave.join.duplicates")
                .description("Second reports of a sub-task (or second plans), ignored")
                .register(registry);
        orphaned = Counter.builder("conclave.join.orphaned")
                .description("Partials deleted because their plan never came")
                .register(registry);
        deadLettered = Counter.builder("conclave.join.dead-lettered")
                .description("Records of conclave.join sent to conclave.join.dlq")
                .register(registry);
        callsSaved = Counter.builder("conclave.vote.calls.saved")
                .description("Agent calls a vote's early stop made unnecessary (cancelled in flight or never run)")
                .register(registry);
        earlyStops = Counter.builder("conclave.vote.early.stops")
                .description("Votes decided at their quorum before every agent reported")
                .register(registry);
        outputTokens = Counter.builder("conclave.compression.tokens")
                .description("Tokens of agents' full outputs (stage=output) and of the notes that travelled instead")
                .tag("stage", "output").register(registry);
        notesTokens = Counter.builder("conclave.compression.tokens")
                .description("Tokens of agents' full outputs (stage=output) and of the notes that travelled instead")
                .tag("stage", "notes").register(registry);
        tokensSaved = Counter.builder("conclave.compression.tokens.saved")
                .description("Tokens of agents' reasoning that thought compression kept out of the join")
                .register(registry);
    }

    /** Calls saved by early stop and tokens saved by compression, from a published result. */
    void accounted(RequestCompleted result) {
        if (result.callsSaved() != null && result.callsSaved() > 0) {
            callsSaved.increment(result.callsSaved());
            earlyStops.increment();
        }
        if (result.compression() != null) {
            outputTokens.increment(result.compression().outputTokens());
            notesTokens.increment(result.compression().notesTokens());
            tokensSaved.increment(result.compression().savedTokens());
        }
    }

    void outcome(RequestStatus status) {
        outcomes.get(status).increment();
    }

    void late() {
        late.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void orphaned(int partials) {
        orphaned.increment(partials);
    }

    void deadLettered() {
        deadLettered.increment();
    }
}
