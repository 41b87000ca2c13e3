package io.conclave.gateway.support;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.eclipse.microprofile.reactive.messaging.Message;

/** An emitter that records what is sent and answers each send as the test decides (ack or failure). */
public final class FakeEmitter<T> implements MutinyEmitter<T> {

    private final List<Message<? extends T>> sent = new CopyOnWriteArrayList<>();
    private final Function<Message<? extends T>, Uni<Void>> outcome;

    private FakeEmitter(Function<Message<? extends T>, Uni<Void>> outcome) {
        this.outcome = outcome;
    }

    /** Every send is acknowledged at once. */
    public static <T> FakeEmitter<T> acking() {
        return new FakeEmitter<>(message -> Uni.createFrom().voidItem());
    }

    /** Every send fails, as when the broker cannot be reached. */
    public static <T> FakeEmitter<T> failing(RuntimeException failure) {
        return new FakeEmitter<>(message -> Uni.createFrom().failure(failure));
    }

    public List<Message<? extends T>> sent() {
        return List.copyOf(sent);
    }

    @Override
    public <M extends Message<? extends T>> Uni<Void> sendMessage(M message) {
        return Uni.createFrom().deferred(() -> {
            sent.add(message);
            return outcome.apply(message);
        });
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
