package io.conclave.gateway.submit;

import io.conclave.contracts.RequestSubmitted;
import io.conclave.gateway.Channels;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes a validated request to {@code conclave.requests}, keyed by its correlation ID; the
 * {@code Uni} completes only once the broker has the record, so a failure means nothing was accepted.
 */
@Singleton
public final class RequestPublisher {

    private final MutinyEmitter<RequestSubmitted> requests;

    @Inject
    public RequestPublisher(@Channel(Channels.REQUESTS) MutinyEmitter<RequestSubmitted> requests) {
        this.requests = requests;
    }

    public Uni<Void> publish(RequestSubmitted request) {
        return Uni.createFrom().deferred(() -> requests.sendMessage(Message.of(request).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(request.correlationId()).build())));
    }
}
