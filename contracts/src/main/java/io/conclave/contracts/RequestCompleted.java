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
 * @param callsSaved agent calls a vote's early stop made unnecessary (cancelled or never started), or null
 * @param subQuestions {@code decompose}: the sub-questions the agents answered, or null
 * @param note what the client should know about how the request was handled (e.g. a planning fallback), or null
 * @param compression tokens of the agents' full outputs and of the notes that travelled instead, or null
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
        Instant submittedAt,
        Integer callsSaved,
        List<String> subQuestions,
        String note,
        CompressionTotals compression) implements ConclaveEvent {

    /** A result without strategy details (the shape before votes, decompose and compression totals). */
    public RequestCompleted(String correlationId, String eventId, Instant occurredAt, int schemaVersion,
            String tenantId, String model, Mode mode, Strategy strategy, RequestStatus status, String content,
            String error, List<AgentReport> agents, TokenUsage usage, long llmMs, Instant submittedAt) {
        this(correlationId, eventId, occurredAt, schemaVersion, tenantId, model, mode, strategy, status, content, error,
                agents, usage, llmMs, submittedAt, null, null, null, null);
    }
}
