package io.conclave.worker.agent;

import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskFailed;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Takes sub-tasks from {@code conclave.subtasks} and turns each into its outcome on {@code conclave.join}, up to
 * {@code conclave.worker.concurrency} at once in this process — sequential processing per partition would run a
 * request's agents one after another whenever they share a worker.
 *
 * <p>At-least-once: a sub-task is acknowledged only when the broker has acknowledged its outcome, so a worker
 * that dies mid-task leaves it uncommitted and another worker runs it again (the join ignores the duplicate).
 * Acks arrive out of order; the {@code throttled} commit strategy commits only below the oldest open sub-task.
 * Records that cannot be read or addressed are nacked to the dead-letter topic.
 */
@ApplicationScoped
public class SubtaskConsumer {

    private static final Logger LOG = Logger.getLogger(SubtaskConsumer.class);
    static final String MDC_CORRELATION_ID = "correlationId";
    static final String MDC_SUBTASK_ID = "subtaskId";

    private final SubtaskRunner runner;
    private final ProgressPublisher progress;
    private final EventLoops eventLoops;
    private final int concurrency;
    private final Tracer tracer;

    SubtaskConsumer(SubtaskRunner runner, ProgressPublisher progress, Vertx vertx, WorkerConfig config,
            Tracer tracer) {
        this.tracer = tracer;
        if (config.concurrency() < 1) {
            throw new IllegalArgumentException("conclave.worker.concurrency must be at least 1");
        }
        this.runner = runner;
        this.progress = progress;
        this.eventLoops = new EventLoops(vertx,
                config.eventLoops().orElse(2 * Runtime.getRuntime().availableProcessors()));
        this.concurrency = config.concurrency();
    }

    @Incoming(Channels.SUBTASKS)
    @Outgoing(Channels.JOIN)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Multi<Message<JoinEvent>> process(Multi<Message<SubtaskAssigned>> subtasks) {
        return subtasks.onItem().transformToUni(this::handle).merge(concurrency);
    }

    /** @return the outcome to publish, or a null item when the record went to the dead-letter topic */
    private Uni<Message<JoinEvent>> handle(Message<SubtaskAssigned> message) {
        SubtaskAssigned task = message.getPayload();
        if (task == null) {
            return deadLetter(message, new IllegalArgumentException(unreadable(message)));
        }
        if (blank(task.correlationId()) || blank(task.subtaskId())) {
            return deadLetter(message, new IllegalArgumentException(
                    "sub-task has no correlationId or subtaskId, so its outcome could not be addressed"));
        }
        Span span = subtaskSpan(message, task);
        io.opentelemetry.context.Context traced = parentOf(message).with(span);
        return onOwnContext(task, traced)
                .invoke(outcome -> ended(span, outcome))
                .onFailure().invoke(failure -> {
                    span.setStatus(StatusCode.ERROR, "broke the worker");
                    span.end();
                })
                .onCancellation().invoke(span::end)
                .map(outcome -> outcomeMessage(message, task, outcome, traced))
                .onFailure().recoverWithUni(failure -> {
                    LOG.errorf(failure, "sub-task %s broke the worker; sending it to the dead-letter topic",
                            task.subtaskId());
                    return deadLetter(message, failure);
                });
    }

    /**
     * Runs the sub-task on a fresh duplicated Vert.x context of the next event loop: its HTTP callbacks and timers
     * stay on it, and so does the correlation ID in the log MDC (Quarkus keeps MDC in the duplicated context, not in
     * the thread).
     */
    private Uni<JoinEvent> onOwnContext(SubtaskAssigned task, io.opentelemetry.context.Context traced) {
        Context context = eventLoops.nextDuplicatedContext();
        return Uni.createFrom().emitter(emitter -> context.runOnContext(ignored -> {
            // The sub-task's span stays current on its own context (Quarkus keeps the OpenTelemetry context there),
            // so its LLM and tool spans and its progress records join the request's trace; the context is dropped
            // with the sub-task, so the scope is never closed.
            traced.makeCurrent();
            MDC.put(MDC_CORRELATION_ID, task.correlationId());
            MDC.put(MDC_SUBTASK_ID, task.subtaskId());
            Cancellable run = runner.run(task).subscribe().with(emitter::complete, emitter::fail);
            emitter.onTermination(run::cancel);
        }));
    }

    /** The outcome, keyed by correlation ID; its broker ack publishes {@code agent_finished} and acks the sub-task. */
    private Message<JoinEvent> outcomeMessage(Message<SubtaskAssigned> incoming, SubtaskAssigned task,
            JoinEvent outcome, io.opentelemetry.context.Context traced) {
        Metadata key = Metadata.of(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(task.correlationId()).build(), TracingMetadata.withCurrent(traced));
        return Message.of(outcome, key,
                () -> {
                    try (var scope = traced.makeCurrent()) {
                        progress.finished(task);
                    }
                    return incoming.ack();
                },
                failure -> {
                    LOG.errorf("outcome of sub-task %s was not written to the join topic: %s", task.subtaskId(),
                            failure.getMessage());
                    return incoming.nack(failure);
                });
    }

    /** The consumed record's context (SmallRye's consumer span), or the current one when it has none. */
    private static io.opentelemetry.context.Context parentOf(Message<?> message) {
        return TracingMetadata.fromMessage(message).map(TracingMetadata::getCurrentContext)
                .orElseGet(io.opentelemetry.context.Context::current);
    }

    /** One span per sub-task run: its LLM calls, tool calls and the records it publishes are its children. */
    private Span subtaskSpan(Message<?> message, SubtaskAssigned task) {
        return tracer.spanBuilder("conclave.subtask " + (task.kind() == null ? "agent"
                        : task.kind().name().toLowerCase(Locale.ROOT)))
                .setParent(parentOf(message))
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute("conclave.correlation_id", task.correlationId())
                .setAttribute("conclave.subtask_id", task.subtaskId())
                .setAttribute("conclave.agent.role", task.agent() == null ? "" : String.valueOf(task.agent().role()))
                .startSpan();
    }

    private static void ended(Span span, JoinEvent outcome) {
        span.setAttribute("conclave.result", outcome instanceof SubtaskFailed ? "failed"
                : "completed");
        if (outcome instanceof SubtaskFailed failed) {
            span.setStatus(StatusCode.ERROR, failed.reason());
        }
        span.end();
    }

    private static <T> Uni<T> deadLetter(Message<?> message, Throwable reason) {
        return Uni.createFrom().completionStage(() -> (CompletionStage<Void>) message.nack(reason))
                .onItem().transform(ignored -> null);
    }

    /** Why a record has no sub-task: the deserializer's reason when it left one (see SubtaskAssignedDeserializer). */
    private static String unreadable(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(kafka -> kafka.getHeaders().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON))
                .map(reason -> "record value is not a SubtaskAssigned: "
                        + new String(reason.value(), StandardCharsets.UTF_8))
                .orElse("record has no value (a tombstone or an empty message)");
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
