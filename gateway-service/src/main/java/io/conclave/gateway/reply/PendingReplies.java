package io.conclave.gateway.reply;

import io.conclave.contracts.RequestCompleted;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP calls of this replica that wait for their result, by correlation ID, so the results
 * consumer can answer them without any thread waiting.
 */
@Singleton
public final class PendingReplies {

    private final Map<String, CompletableFuture<RequestCompleted>> waiting = new ConcurrentHashMap<>();

    /**
     * Registers a call before its request is published, so its result cannot arrive unseen.
     * The caller must either subscribe to {@link Pending#result(Duration)} or {@link Pending#cancel()} it.
     */
    public Pending register(String correlationId) {
        CompletableFuture<RequestCompleted> future = new CompletableFuture<>();
        if (waiting.putIfAbsent(correlationId, future) != null) {
            throw new IllegalStateException("correlation ID already waiting: " + correlationId);
        }
        return new Pending(correlationId, future);
    }

    /** Hands a result to the call waiting for it; false when none waits here. */
    public boolean complete(RequestCompleted result) {
        CompletableFuture<RequestCompleted> future = waiting.remove(result.correlationId());
        return future != null && future.complete(result);
    }

    /** How many calls wait, for the gauge. */
    public int size() {
        return waiting.size();
    }

    /** One registered call. */
    public final class Pending {
        private final String correlationId;
        private final CompletableFuture<RequestCompleted> future;

        private Pending(String correlationId, CompletableFuture<RequestCompleted> future) {
            this.correlationId = correlationId;
            this.future = future;
        }

        /**
         * The result, or a {@link ReplyTimeoutException} after {@code timeout}; the registration ends
         * with the {@code Uni}, whether by result, timeout or the client going away.
         */
        public Uni<RequestCompleted> result(Duration timeout) {
            Duration wait = timeout.isNegative() ? Duration.ZERO : timeout;
            return Uni.createFrom().completionStage(future)
                    .ifNoItem().after(wait).failWith(() -> new ReplyTimeoutException(correlationId, timeout))
                    .onTermination().invoke(this::cancel);
        }

        /** Ends the registration without a result (the request was never published, or the wait ended). */
        public void cancel() {
            waiting.remove(correlationId, future);
        }
    }
}
