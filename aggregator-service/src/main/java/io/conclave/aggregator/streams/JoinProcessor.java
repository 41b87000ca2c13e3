package io.conclave.aggregator.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.aggregator.join.Decision;
import io.conclave.aggregator.join.Effect;
import io.conclave.aggregator.join.Join;
import io.conclave.aggregator.join.JoinState;
import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.Topics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs {@link Join} inside the topology: loads a join's state, applies an event or the wall clock,
 * stores the new state and forwards what the decision asks for. It reads raw bytes so that a record
 * that is not a joinable event is forwarded as it came to {@code conclave.join.dlq} and never stops
 * the partition (Kafka Streams 4.1's deserialization handlers can only skip or fail; KIP-1034's
 * dead-letter queue comes with 4.2).
 */
final class JoinProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = Logger.getLogger(JoinProcessor.class);
    private static final String MDC_KEY = "correlationId";
    /** The name Quarkus' OpenTelemetry uses for the trace ID in the MDC of the other services' log lines. */
    private static final String MDC_TRACE_ID = "traceId";

    private final Join join;
    private final ObjectMapper mapper;
    private final Deserializer<JoinEvent> events;
    private final Duration closedRetention;
    private final Duration punctuateInterval;
    private final JoinMetrics metrics;
    private final DeadlineIndex deadlines = new DeadlineIndex();
    private final JoinTracing tracing;
    /** The span of the record or deadline being handled; what the join forwards carries its context. */
    private Span span = Span.getInvalid();

    private ProcessorContext<String, Object> context;
    private JoinStore store;
    /**
     * The open joins of this task as last stored, so that an event does not read back and parse the JSON this
     * processor wrote itself (a tenth of the aggregator's CPU samples went to that). Written through on every put
     * and delete; the store, and its changelog, stay the truth: a task initialized again (after a restart, a
     * rebalance or a revival) starts with an empty map and reads the store.
     */
    private final Map<String, JoinState> stored = new HashMap<>();

    JoinProcessor(ObjectMapper mapper, Duration closedRetention, Duration punctuateInterval, JoinMetrics metrics) {
        this(mapper, closedRetention, punctuateInterval, metrics, new JoinTracing(OpenTelemetry.noop()));
    }

    JoinProcessor(ObjectMapper mapper, Duration closedRetention, Duration punctuateInterval, JoinMetrics metrics,
            JoinTracing tracing) {
        this.tracing = tracing;
        this.join = new Join(closedRetention);
        this.mapper = mapper;
        this.events = JsonSerde.of(mapper, JoinEvent.class);
        this.closedRetention = closedRetention;
        this.punctuateInterval = punctuateInterval;
        this.metrics = metrics;
    }

    /** Called once the task's store is restored, so the deadline index sees every open join. */
    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = new JoinStore(context.getStateStore(JoinTopology.STORE), mapper);
        stored.clear(); // a revived task is initialized again, over a store restored from the changelog
        indexStoredJoins();
        context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        JoinEvent event;
        try {
            event = events.deserialize(Topics.JOIN, record.headers(), record.value());
        } catch (SerializationException e) {
            deadLetter(record, "not a JoinEvent", e);
            return;
        }
        Optional<String> problem = event == null ? Optional.of("no value") : Join.problemWith(event);
        if (problem.isEmpty() && !event.correlationId().equals(record.key())) {
            problem = Optional.of("key " + record.key() + " is not the correlationId " + event.correlationId());
        }
        if (problem.isEmpty() && !JoinStore.canHold(event.correlationId())) {
            problem = Optional.of("a correlationId with '/' (the gateway's are UUIDs)");
        }
        if (problem.isPresent()) {
            deadLetter(record, problem.get(), null);
            return;
        }
        String key = record.key();
        MDC.put(MDC_KEY, key);
        JoinState stored = read(key);
        Context parent = tracing.fromHeaders(record.headers());
        if (!JoinTracing.traced(parent) && stored != null) {
            parent = tracing.fromTraceparent(stored.traceparent());
        }
        span = tracing.start("conclave.join " + event.getClass().getSimpleName(), parent, key);
        MDC.put(MDC_TRACE_ID, span.getSpanContext().getTraceId());
        try {
            long now = context.currentSystemTimeMs();
            Decision decision;
            try {
                decision = join.onEvent(stored, event, Instant.ofEpochMilli(now));
            } catch (RuntimeException e) {
                LOG.errorf(e, "The join failed on %s", event.getClass().getSimpleName());
                deadLetter(record, "the join failed on this record", e);
                return;
            }
            apply(key, stored, decision, now, JoinTracing.traceparent(record.headers()));
        } finally {
            span.end();
            span = Span.getInvalid();
            MDC.remove(MDC_KEY);
            MDC.remove(MDC_TRACE_ID);
        }
    }

    private void punctuate(long now) {
        for (String key : deadlines.dueAt(Instant.ofEpochMilli(now))) {
            MDC.put(MDC_KEY, key);
            try {
                JoinState state = read(key);
                if (state == null) {
                    deadlines.remove(key);
                } else {
                    span = tracing.start("conclave.join deadline", tracing.fromTraceparent(state.traceparent()), key);
                    MDC.put(MDC_TRACE_ID, span.getSpanContext().getTraceId());
                    apply(key, state, join.onTick(state, Instant.ofEpochMilli(now)), now, null);
                }
            } finally {
                span.end();
                span = Span.getInvalid();
                MDC.remove(MDC_KEY);
                MDC.remove(MDC_TRACE_ID);
            }
        }
    }

    /**
     * @param before the join as stored until now, or null when there is none
     * @param traceparent the record's trace context, kept with a join that has none yet (its plan's)
     */
    private void apply(String key, JoinState before, Decision decision, long now, String traceparent) {
        switch (decision.change()) {
            case PUT -> {
                JoinState state = decision.state();
                JoinState kept = state.traceparent() == null && traceparent != null
                        ? state.withTraceparent(traceparent) : state;
                store.put(before, kept);
                remember(key, kept);
                deadlines.put(key, kept.dueAt(closedRetention));
            }
            case DELETE -> {
                store.delete(key, before);
                stored.remove(key);
                deadlines.remove(key);
            }
            case NONE -> {
            }
        }
        for (Effect effect : decision.effects()) {
            handle(key, effect, now);
        }
    }

    private void handle(String key, Effect effect, long now) {
        if (effect instanceof Effect.Publish publish) {
            RequestCompleted result = publish.result();
            context.forward(new Record<>(key, result, now, tracing.headers(span)), JoinTopology.RESULTS_SINK);
            metrics.outcome(result.status());
            metrics.accounted(result);
            LOG.infof("Published the result: %s%s", result.status(),
                    result.error() != null ? ", " + result.error() : "");
        } else if (effect instanceof Effect.Cancel cancel) {
            context.forward(new Record<>(key, cancel.cancelled(), now, tracing.headers(span)), JoinTopology.CONTROL_SINK);
            LOG.infof("Cancelled the rest of the request: %s", cancel.cancelled().reason());
        } else if (effect instanceof Effect.Assign assign) {
            SubtaskAssigned synthesis = assign.subtask();
            context.forward(new Record<>(synthesis.subtaskId(), synthesis, now, tracing.headers(span)),
                    JoinTopology.SUBTASKS_SINK);
            LOG.debugf("Asked for the synthesis over the notes of %d agents", synthesis.notes().size());
        } else if (effect instanceof Effect.Duplicate duplicate) {
            metrics.duplicate();
            LOG.debugf("Ignored a second report of %s", duplicate.subtaskId());
        } else if (effect instanceof Effect.Late late) {
            metrics.late();
            LOG.infof("Dropped the late partial %s: %s", late.subtaskId(), late.why());
        } else if (effect instanceof Effect.Held held) {
            // The planner sends a plan and its sub-tasks together: an agent that fails at once can beat its plan.
            LOG.infof("Partial %s came before its plan; holding it", held.subtaskId());
        } else if (effect instanceof Effect.Ignored ignored) {
            LOG.warnf("Ignored %s: %s", ignored.subtaskId(), ignored.why());
        } else if (effect instanceof Effect.Orphaned orphaned) {
            metrics.orphaned(orphaned.partials());
            LOG.warnf("Deleted %d partials whose plan never came", orphaned.partials());
        }
    }

    private void deadLetter(Record<String, byte[]> record, String reason, Throwable cause) {
        LOG.warnf("Record with key %s sent to %s: %s%s", record.key(), JoinTopology.DLQ_TOPIC, reason,
                cause != null ? " (" + cause.getMessage() + ")" : "");
        context.forward(DeadLetters.of(record, context.recordMetadata(), reason, cause), JoinTopology.DLQ_SINK);
        metrics.deadLettered();
    }

    /** A stored join that cannot be read any more (a bug, not data) is deleted rather than blocking its key. */
    private JoinState read(String key) {
        JoinState known = stored.get(key);
        if (known != null) {
            return known;
        }
        try {
            JoinState state = store.get(key);
            remember(key, state);
            return state;
        } catch (SerializationException e) {
            LOG.errorf(e, "Deleting the unreadable stored join %s", key);
            store.delete(key, null);
            deadlines.remove(key);
            return null;
        }
    }

    /** Keeps open joins only: a closed one waits out its retention (minutes) in the store, off the heap. */
    private void remember(String key, JoinState state) {
        if (state == null || state.phase() == JoinState.Phase.CLOSED) {
            stored.remove(key);
        } else {
            stored.put(key, state);
        }
    }

    private void indexStoredJoins() {
        List<String> unreadable = new ArrayList<>();
        for (String key : store.correlationIds()) {
            try {
                deadlines.put(key, store.get(key).dueAt(closedRetention));
            } catch (SerializationException e) {
                unreadable.add(key);
            }
        }
        unreadable.forEach(this::read);
        LOG.debugf("Indexed %d stored joins", deadlines.size());
    }
}
