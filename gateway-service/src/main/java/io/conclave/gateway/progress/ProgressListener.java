package io.conclave.gateway.progress;

import io.conclave.contracts.ProgressUpdated;
import io.conclave.gateway.Channels;
import io.conclave.gateway.requests.OpenRequests;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code conclave.progress} on every replica (its own consumer group, from the latest record): the
 * replica holding a client's stream must see its request's token deltas and agent progress.
 */
@Singleton
public final class ProgressListener {

    private final ProgressHub hub;
    private final OpenRequests open;

    @Inject
    public ProgressListener(ProgressHub hub, OpenRequests open) {
        this.hub = hub;
        this.open = open;
    }

    /**
     * Nothing here blocks, so it runs on the channel's event loop, in partition order (a {@code void} method
     * would be moved to a worker thread, where a request's deltas could overtake each other or its result).
     * An unusable record is skipped: progress is informative only.
     */
    @Incoming(Channels.PROGRESS)
    public Uni<Void> onProgress(ProgressUpdated event) {
        if (event != null && event.correlationId() != null && event.kind() != null) {
            open.progress(event);
            hub.progress(event);
        }
        return Uni.createFrom().voidItem();
    }
}
