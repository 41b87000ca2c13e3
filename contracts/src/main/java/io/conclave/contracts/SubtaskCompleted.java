package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A sub-task's result. The agent's full reasoning stays in the worker: only the answer and the
 * compressed notes travel.
 *
 * @param answer the reply text when the sub-task was a final reply, else the agent's final answer
 * @param notes the agent's reasoning compressed within the notes budget (may be empty for a final reply)
 * @param outputTokens tokens of the agent's full output, before compression
 * @param notesTokens tokens of {@code notes}
 * @param latencyMs wall time from the worker taking the sub-task to its result
 * @param llmMs time spent waiting on LLM calls
 * @param tools the agent's tool calls in order, compressed; null when it made none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubtaskCompleted(
        String correlationId,
        String eventId,
        Instant occurredAt,
        int schemaVersion,
        String subtaskId,
        String agentId,
        SubtaskKind kind,
        String role,
        String provider,
        String model,
        String answer,
        String notes,
        TokenUsage usage,
        long outputTokens,
        long notesTokens,
        long latencyMs,
        long llmMs,
        List<ToolCallRecord> tools) implements JoinEvent {

    /** A result without tool calls (the shape before tools existed). */
    public SubtaskCompleted(String correlationId, String eventId, Instant occurredAt, int schemaVersion,
            String subtaskId, String agentId, SubtaskKind kind, String role, String provider, String model,
            String answer, String notes, TokenUsage usage, long outputTokens, long notesTokens, long latencyMs,
            long llmMs) {
        this(correlationId, eventId, occurredAt, schemaVersion, subtaskId, agentId, kind, role, provider, model,
                answer, notes, usage, outputTokens, notesTokens, latencyMs, llmMs, null);
    }
}
