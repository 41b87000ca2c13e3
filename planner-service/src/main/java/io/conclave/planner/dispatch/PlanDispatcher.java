package io.conclave.planner.dispatch;

import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.Mode;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.ProgressUpdated;
import io.conclave.contracts.RecordPosition;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.planner.decompose.Decomposer;
import io.conclave.planner.image.ImageReferences;
import io.conclave.planner.plan.PlanBuilder;
import io.conclave.planner.plan.PlannedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Publishes each request's plan and sub-tasks together, and acknowledges the request record only once the broker
 * has acknowledged every one of them, so a crash at any point replays the request (its sub-task IDs are the same
 * again, so the join takes each agent once).
 *
 * <p>The plan is not acknowledged before the sub-tasks go out (DESIGN.md §2 asks for that): waiting for its ack put
 * one more broker round trip on every request's critical path (1-2 ms at the median, 8-13 at p99 at 20 rps in the
 * benchmark's hop table, docs/benchmarks.md round fourteen). An agent's partial can therefore reach
 * {@code conclave.join} before its plan when the agent fails at once; the aggregator holds such partials until the
 * plan comes (and deletes them, counted as orphaned, if none comes within its retention).
 *
 * <p>Requests are planned concurrently, up to {@code smallrye.messaging.worker.planning.max-concurrency} at once:
 * one at a time, each request waited for the previous one's broker round trips (and a {@code decompose}
 * request's planning call held up every request behind it). Acks arrive out of order; the {@code throttled}
 * commit strategy commits only below the oldest request still being planned.
 */
@Singleton
public final class PlanDispatcher {

    /** MDC key carrying the correlation ID into the log lines of one request. */
    public static final String MDC_CORRELATION_ID = "correlationId";

    private static final Logger LOG = Logger.getLogger(PlanDispatcher.class);

    private final PlanBuilder builder;
    private final Decomposer decomposer;
    private final MutinyEmitter<JoinEvent> join;
    private final MutinyEmitter<SubtaskAssigned> subtasks;
    private final MutinyEmitter<ProgressUpdated> progress;
    private final MeterRegistry registry;

    @Inject
    public PlanDispatcher(PlanBuilder builder, Decomposer decomposer,
            @Channel(Channels.JOIN) MutinyEmitter<JoinEvent> join,
            @Channel(Channels.SUBTASKS) MutinyEmitter<SubtaskAssigned> subtasks,
            @Channel(Channels.PROGRESS) MutinyEmitter<ProgressUpdated> progress,
            MeterRegistry registry) {
        this.builder = builder;
        this.decomposer = decomposer;
        this.join = join;
        this.subtasks = subtasks;
        this.progress = progress;
        this.registry = registry;
    }

    /**
     * Plans and publishes one request; the returned {@code Uni} completes once the broker has
     * acknowledged every record, and fails (sending the request to the dead-letter topic) when the
     * request cannot be planned or a send fails.
     *
     * @param kafka where the request record lies (null off Kafka): agent sub-tasks point there for its images
     */
    @Incoming(Channels.REQUESTS)
    // SmallRye runs a Uni-returning method's messages one after another unless it is @Blocking(ordered = false):
    // then it merges them, as many at once as its named pool's max-concurrency. Nothing here blocks the thread it
    // runs on: the method returns a Uni, whose sends and planning call complete asynchronously.
    @Blocking(value = "planning", ordered = false)
    public Uni<Void> onRequest(RequestSubmitted request, IncomingKafkaRecordMetadata<?, ?> kafka) {
        RecordPosition position = kafka == null ? null
                : new RecordPosition(kafka.getTopic(), kafka.getPartition(), kafka.getOffset());
        return planOf(ImageReferences.withoutImageData(request))
                .map(planned -> ImageReferences.pointedTo(planned, position))
                .invoke(planned -> MDC.put(MDC_CORRELATION_ID, planned.plan().correlationId()))
                .chain(this::publish)
                .invoke(this::count)
                .onFailure().invoke(failure -> LOG.errorf(failure, "could not plan request %s",
                        request == null ? null : request.correlationId()))
                .onTermination().invoke(() -> MDC.remove(MDC_CORRELATION_ID))
                .replaceWithVoid();
    }

    /** The plan; a {@code decompose} request first gets its planning call (whose {@code Uni} never fails). */
    private Uni<PlannedRequest> planOf(RequestSubmitted request) {
        if (!decomposes(request)) {
            return Uni.createFrom().item(() -> builder.plan(request));
        }
        MDC.put(MDC_CORRELATION_ID, request.correlationId());
        return decomposer.decompose(request, builder.agentCount(request))
                .map(decomposition -> builder.plan(request, decomposition));
    }

    private static boolean decomposes(RequestSubmitted request) {
        return request != null && request.mode() == Mode.CONTEMPLATING && request.strategy() == Strategy.DECOMPOSE
                && request.correlationId() != null && request.messages() != null && !request.messages().isEmpty();
    }

    private Uni<PlannedRequest> publish(PlannedRequest planned) {
        String correlationId = planned.plan().correlationId();
        return Uni.join().all(sends(planned)).andFailFast()
                .invoke(() -> LOG.debugf("planned %s: %s %s, %d agents", correlationId,
                        planned.plan().mode(), planned.plan().strategy(), planned.plan().agents().size()))
                .replaceWith(planned);
    }

    /** The plan, its sub-tasks and the {@code planned} progress event, each sent when the returned list is joined. */
    private List<Uni<Void>> sends(PlannedRequest planned) {
        List<Uni<Void>> sends = new ArrayList<>(planned.subtasks().size() + 2);
        sends.add(send(join, planned.plan().correlationId(), planned.plan()));
        for (SubtaskAssigned subtask : planned.subtasks()) {
            sends.add(send(subtasks, subtask.subtaskId(), subtask));
        }
        if (planned.planned() != null) {
            sends.add(send(progress, planned.planned().correlationId(), planned.planned()));
        }
        return sends;
    }

    private void count(PlannedRequest planned) {
        registry.counter("conclave.plans",
                "mode", planned.plan().mode().name().toLowerCase(Locale.ROOT),
                "strategy", planned.plan().strategy().name().toLowerCase(Locale.ROOT)).increment();
    }

    /** Sends one record keyed for Kafka; the {@code Uni} completes when the broker acknowledges it. */
    private static <T> Uni<Void> send(MutinyEmitter<T> emitter, String key, T payload) {
        return emitter.sendMessage(Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()));
    }
}
