package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The one answer to a request, published by the aggregator when its join is released.
 *
 * @param content the final answer, or null when {@code status} is failed or cancelled
 * @param error why there is no answer, or null
 * @param agents every agent of the plan, then the synthesis if there was one
 * @param usage tokens of every LLM call made for the request
 * @param llmMs time on the request's critical path spent waiting on LLM calls
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RequestCompleted(
        String correlationId,
        String eventId,
        Instant occurredAt,
        int schemaVersion,
        String tenantId,
        String model,
        Mode mode,
        Strategy strategy,
        RequestStatus status,
        String content,
        String error,
        List<AgentReport> agents,
        TokenUsage usage,
        long llmMs,
        Instant submittedAt) implements ConclaveEvent {
}
