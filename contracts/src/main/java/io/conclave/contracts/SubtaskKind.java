package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a worker is asked to do with a sub-task. */
public enum SubtaskKind {
    /** Answer the conversation in the agent's role. */
    @JsonProperty("agent") AGENT,
    /** Turn the agents' notes into the final answer. */
    @JsonProperty("synthesis") SYNTHESIS
}
