package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a {@link ProgressUpdated} reports. */
public enum ProgressKind {
    @JsonProperty("planned") PLANNED,
    @JsonProperty("agent_started") AGENT_STARTED,
    @JsonProperty("agent_finished") AGENT_FINISHED,
    /** A batch of tokens of the final answer. */
    @JsonProperty("delta") DELTA
}
