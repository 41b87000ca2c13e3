package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A sub-task that produced no answer, with a reason a person can act on
 * (for example {@code "upstream 500 from provider default: ..."} or {@code "deadline passed"}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubtaskFailed(
        String correlationId,
        String eventId,
        Instant occurredAt,
        int schemaVersion,
        String subtaskId,
        String agentId,
        SubtaskKind kind,
        String role,
        String reason,
        TokenUsage usage,
        long latencyMs) implements JoinEvent {
}
