package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A request that no longer needs work: cancelled by its client, or decided early by a vote. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RequestCancelled(
        String correlationId,
        String eventId,
        Instant occurredAt,
        int schemaVersion,
        String reason) implements ConclaveEvent {
}
