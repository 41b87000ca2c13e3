package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One agent of a plan: who it is, which named provider and model it calls, and how.
 *
 * @param provider the name of an LLM provider configured on the workers ({@code default}, {@code fast}, …)
 * @param model the upstream model name, or null for the provider's default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentSpec(
        String agentId,
        String subtaskId,
        String role,
        String systemPrompt,
        String provider,
        String model,
        double temperature,
        int maxTokens) {
}
