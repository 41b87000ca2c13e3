package io.conclave.gateway.reply;

import java.time.Duration;

/** No result came for a request within its deadline plus the grace; the caller answers 504. */
public final class ReplyTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReplyTimeoutException(String correlationId, Duration waited) {
        super("no result for " + correlationId + " within " + waited.toMillis() + " ms", null, false, false);
    }
}
