package io.conclave.gateway.progress;

import io.conclave.contracts.ProgressUpdated;
import io.conclave.contracts.RequestCompleted;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands {@code conclave.progress} and {@code conclave.results} records to the HTTP calls of this replica
 * that watch the request (a streamed completion, an SSE progress stream), without a consumer or topic
 * per request: every replica reads both topics once, with its own consumer group.
 */
@Singleton
public final class ProgressHub {

    private final Map<String, List<Watch>> watches = new ConcurrentHashMap<>();

    /**
     * Starts watching a request; updates are buffered until {@link Watch#updates()} is subscribed, so a
     * caller can open the watch before it publishes the request and miss nothing.
     */
    public Watch open(String correlationId) {
        Watch watch = new Watch(correlationId);
        watches.computeIfAbsent(correlationId, ignored -> new CopyOnWriteArrayList<>()).add(watch);
        return watch;
    }

    public void progress(ProgressUpdated event) {
        List<Watch> watching = watches.get(event.correlationId());
        if (watching != null) {
            watching.forEach(watch -> watch.processor.onNext(new Update.Progress(event)));
        }
    }

    public void finished(RequestCompleted result) {
        List<Watch> watching = watches.remove(result.correlationId());
        if (watching != null) {
            watching.forEach(watch -> {
                watch.processor.onNext(new Update.Finished(result));
                watch.processor.onComplete();
            });
        }
    }

    /** Requests watched on this replica, for the gauge. */
    public int size() {
        return watches.size();
    }

    private void close(Watch watch) {
        watches.computeIfPresent(watch.correlationId, (id, list) -> {
            list.remove(watch);
            return list.isEmpty() ? null : list;
        });
    }

    /** One watcher of one request. */
    public final class Watch {
        private final String correlationId;
        private final UnicastProcessor<Update> processor = UnicastProcessor.create();

        private Watch(String correlationId) {
            this.correlationId = correlationId;
        }

        /** The updates, ending after the result; ending the subscription ends the watch. */
        public Multi<Update> updates() {
            return processor.onTermination().invoke(this::close);
        }

        /** Stops watching (the call ended without subscribing, or gave up). */
        public void close() {
            ProgressHub.this.close(this);
        }
    }
}
