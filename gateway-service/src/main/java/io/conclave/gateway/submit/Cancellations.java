package io.conclave.gateway.submit;

import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.RequestCancelled;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.gateway.Channels;
import io.conclave.gateway.requests.OpenRequests;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Cancels a request: {@code RequestCancelled} on {@code conclave.control} tells the workers (and the
 * aggregator) to stop, and a {@code cancelled} {@code RequestCompleted} on {@code conclave.results} ends the
 * request for every gateway replica at once. Results are first-wins per correlation ID, so an answer the
 * aggregator publishes after the cancellation is dropped as a repeat everywhere, replays included.
 */
@Singleton
public final class Cancellations {

    private final MutinyEmitter<RequestCancelled> control;
    private final MutinyEmitter<RequestCompleted> results;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public Cancellations(@Channel(Channels.CONTROL) MutinyEmitter<RequestCancelled> control,
            @Channel(Channels.CANCELLED_RESULTS) MutinyEmitter<RequestCompleted> results) {
        this.control = control;
        this.results = results;
    }

    /** Completes once the broker has both records. */
    public Uni<Void> cancel(OpenRequests.Open request, String reason) {
        String id = request.correlationId();
        RequestCancelled cancelled = new RequestCancelled(id, UUID.randomUUID().toString(), clock.instant(),
                ConclaveEvent.SCHEMA_VERSION, reason);
        RequestCompleted result = new RequestCompleted(id, UUID.randomUUID().toString(), clock.instant(),
                ConclaveEvent.SCHEMA_VERSION, request.tenant(), request.model(), request.mode(), null,
                RequestStatus.CANCELLED, null, reason, List.of(), null, 0, request.submittedAt());
        return Uni.createFrom().deferred(() -> control.sendMessage(keyed(cancelled, id)))
                .chain(() -> results.sendMessage(keyed(result, id)))
                .ifNoItem().after(Duration.ofSeconds(15)).fail();
    }

    private static <T> Message<T> keyed(T payload, String key) {
        return Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }
}
