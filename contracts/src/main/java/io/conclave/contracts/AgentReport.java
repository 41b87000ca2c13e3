package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How one agent (or the synthesis) of a request went, for the reply's {@code conclave.agents}.
 *
 * @param latencyMs null when the agent never answered
 * @param reason why it failed or was left out, or null
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
        String reason) {
}
