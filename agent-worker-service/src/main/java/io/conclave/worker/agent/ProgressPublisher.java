package io.conclave.worker.agent;

import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.ProgressKind;
import io.conclave.contracts.ProgressUpdated;
import io.conclave.contracts.SubtaskAssigned;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Tells whoever watches a request (the gateway's SSE and status endpoints) that an agent started or finished, and
 * streams a final reply's text. Progress is informative only: a record that cannot be sent is logged, and the
 * sub-task goes on; its result travels on {@code conclave.join}, not here. Nothing is sent for a sub-task nobody
 * watches ({@link SubtaskAssigned#watched()} false: a plain call, whose client waits for the answer alone).
 */
@ApplicationScoped
public class ProgressPublisher {

    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);

    @Inject
    @Channel(Channels.PROGRESS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<ProgressUpdated> emitter;

    @Inject
    Clock clock;

    @Inject
    WorkerConfig config;

    void started(SubtaskAssigned task) {
        if (watched(task)) {
            send(event(task, ProgressKind.AGENT_STARTED, null, 0));
        }
    }

    void finished(SubtaskAssigned task) {
        if (watched(task)) {
            send(event(task, ProgressKind.AGENT_FINISHED, null, 0));
        }
    }

    /** A batcher that sends {@code delta} events for this sub-task, or null when nobody watches it. */
    DeltaBatcher deltas(SubtaskAssigned task) {
        if (!watched(task)) {
            return null;
        }
        return new DeltaBatcher(config.deltas().batchChars(), config.deltas().maxDelay(), System::nanoTime,
                (text, sequence) -> send(event(task, ProgressKind.DELTA, text, sequence)));
    }

    private static boolean watched(SubtaskAssigned task) {
        return !Boolean.FALSE.equals(task.watched());
    }

    private ProgressUpdated event(SubtaskAssigned task, ProgressKind kind, String delta, long sequence) {
        return new ProgressUpdated(task.correlationId(), UUID.randomUUID().toString(), clock.instant(),
                ConclaveEvent.SCHEMA_VERSION, kind, task.subtaskId(),
                task.agent() == null ? null : task.agent().agentId(),
                task.agent() == null ? null : task.agent().role(), delta, sequence);
    }

    private void send(ProgressUpdated event) {
        Message<ProgressUpdated> message = Message.of(event, Metadata.of(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.correlationId()).build()));
        emitter.sendMessage(message).subscribe().with(
                ignored -> { },
                failure -> LOG.warnf("progress %s of sub-task %s was not sent: %s", event.kind(), event.subtaskId(),
                        failure.getMessage()));
    }
}
