package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How one agent (or the synthesis) of a request went, for the reply's {@code conclave.agents}.
 *
 * @param latencyMs null when the agent never answered
 * @param reason why it failed or was left out, or null
 * @param tools the agent's tool calls, compressed; null when it made none
 * @param provider the named LLM provider the agent called; null for the planner or in records written before
 *     this field existed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentReport(
        String agentId,
        String role,
        String model,
        AgentStatus status,
        Long latencyMs,
        TokenUsage usage,
        Long outputTokens,
        Long notesTokens,
        String answer,
        String reason,
        List<ToolCallRecord> tools,
        String provider) {

    /** A report without the provider (the shape before providers were reported). */
    public AgentReport(String agentId, String role, String model, AgentStatus status, Long latencyMs,
            TokenUsage usage, Long outputTokens, Long notesTokens, String answer, String reason,
            List<ToolCallRecord> tools) {
        this(agentId, role, model, status, latencyMs, usage, outputTokens, notesTokens, answer, reason, tools, null);
    }

    /** A report without tool calls (the shape before tools existed). */
    public AgentReport(String agentId, String role, String model, AgentStatus status, Long latencyMs,
            TokenUsage usage, Long outputTokens, Long notesTokens, String answer, String reason) {
        this(agentId, role, model, status, latencyMs, usage, outputTokens, notesTokens, answer, reason, null, null);
    }
}
