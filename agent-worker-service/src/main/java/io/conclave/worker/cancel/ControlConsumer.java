package io.conclave.worker.cancel;

import io.conclave.contracts.RequestCancelled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code conclave.control}. Every worker replica must see every cancellation, since any of them may be
 * running one of the request's sub-tasks, so the channel's consumer group is per replica
 * ({@code conclave-agent-worker-${quarkus.uuid}}) and starts at the latest offset: a replica that starts later
 * has no sub-task of an older request in flight, and a redelivered sub-task of a cancelled request is only
 * wasted work, never a wrong answer (the join has already closed).
 */
@ApplicationScoped
public class ControlConsumer {

    /** The channel name, shared with {@code application.properties}. */
    public static final String CHANNEL = "control";

    private static final Logger LOG = Logger.getLogger(ControlConsumer.class);

    private final CancelRegistry registry;

    ControlConsumer(CancelRegistry registry) {
        this.registry = registry;
    }

    @Incoming(CHANNEL)
    public void onCancelled(RequestCancelled cancelled) {
        if (cancelled == null || cancelled.correlationId() == null) {
            throw new IllegalArgumentException("a RequestCancelled without correlationId");
        }
        LOG.infof("request %s cancelled: %s", cancelled.correlationId(), cancelled.reason());
        registry.cancel(cancelled.correlationId(), cancelled.reason());
    }
}
