package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Something a client watching a request may want to see before the answer: the plan, agents
 * starting and finishing, and batches of tokens of the final answer.
 *
 * @param delta the text of a {@code delta} batch, else null
 * @param sequence orders the deltas of one sub-task
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProgressUpdated(
        String correlationId,
        String eventId,
        Instant occurredAt,
        int schemaVersion,
        ProgressKind kind,
        String subtaskId,
        String agentId,
        String role,
        String delta,
        long sequence) implements ConclaveEvent {
}
