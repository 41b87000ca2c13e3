package io.conclave.planner.dispatch;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * An emitter that writes every send into a log shared by several channels and leaves each send
 * unacknowledged until the test says so, so tests can check what is sent before which ack.
 */
final class RecordingEmitter<T> implements MutinyEmitter<T> {

    /** One send: its channel, key, payload, and the handle that acknowledges or fails it. */
    record Sent(String channel, String key, Object payload, UniEmitter<? super Void> ack) {
        void acknowledge() {
            ack.complete(null);
        }

        void fail(RuntimeException failure) {
            ack.fail(failure);
        }
    }

    private final String channel;
    private final List<Sent> log;

    RecordingEmitter(String channel, List<Sent> log) {
        this.channel = channel;
        this.log = log;
    }

    @Override
    public <M extends Message<? extends T>> Uni<Void> sendMessage(M message) {
        String key = message.getMetadata(OutgoingKafkaRecordMetadata.class)
                .map(metadata -> (String) metadata.getKey()).orElse(null);
        return Uni.createFrom().emitter(ack -> log.add(new Sent(channel, key, message.getPayload(), ack)));
    }

    @Override
    public Uni<Void> send(T payload) {
        return sendMessage(Message.of(payload));
    }

    @Override
    public void sendAndAwait(T payload) {
        throw new UnsupportedOperationException("blocking send");
    }

    @Override
    public Cancellable sendAndForget(T payload) {
        throw new UnsupportedOperationException("unacknowledged send");
    }

    @Override
    public <M extends Message<? extends T>> void send(M message) {
        throw new UnsupportedOperationException("unacknowledged send");
    }

    @Override
    public <M extends Message<? extends T>> void sendMessageAndAwait(M message) {
        throw new UnsupportedOperationException("blocking send");
    }

    @Override
    public <M extends Message<? extends T>> Cancellable sendMessageAndForget(M message) {
        throw new UnsupportedOperationException("unacknowledged send");
    }

    @Override
    public void complete() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void error(Exception e) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean hasRequests() {
        return true;
    }
}
