package io.conclave.gateway.reply;

import io.conclave.contracts.RequestCompleted;
import io.conclave.gateway.Channels;
import io.conclave.gateway.progress.ProgressHub;
import io.conclave.gateway.requests.OpenRequests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code conclave.results} on every replica and answers the waiting call, if it is here;
 * keeps the first result per correlation ID and drops repeats, so a client sees one answer.
 */
@Singleton
public final class ResultListener {

    private static final Logger LOG = Logger.getLogger(ResultListener.class);

    private final ResultCache cache;
    private final PendingReplies pending;
    private final ProgressHub hub;
    private final OpenRequests open;
    private final Counter duplicates;

    @Inject
    public ResultListener(ResultCache cache, PendingReplies pending, ProgressHub hub, OpenRequests open,
            MeterRegistry registry) {
        this.cache = cache;
        this.pending = pending;
        this.hub = hub;
        this.open = open;
        this.duplicates = Counter.builder("conclave.results.duplicates")
                .description("Results dropped because one with the same correlation ID came first")
                .register(registry);
        registry.gauge("conclave.requests.pending", pending, PendingReplies::size);
    }

    /**
     * Takes one result; a record without a usable result fails, which sends it to the dead-letter
     * topic. Nothing here blocks: completing the call only schedules its reply.
     */
    @Incoming(Channels.RESULTS)
    public Uni<Void> onResult(RequestCompleted result) {
        if (result == null || result.correlationId() == null || result.status() == null) {
            return Uni.createFrom().failure(new IllegalArgumentException(
                    "not a usable RequestCompleted (empty, unreadable, or without correlationId or status)"));
        }
        if (!cache.offer(result)) {
            duplicates.increment();
            LOG.debugf("dropped a repeated result for %s", result.correlationId());
            return Uni.createFrom().voidItem();
        }
        if (pending.complete(result)) {
            LOG.debugf("result %s for %s answered its call", result.status(), result.correlationId());
        }
        hub.finished(result);
        open.close(result.correlationId());
        return Uni.createFrom().voidItem();
    }
}
