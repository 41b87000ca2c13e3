package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One agent's contribution to a synthesis: its final answer and its compressed notes. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentNotes(String agentId, String role, String answer, String notes) {
}
