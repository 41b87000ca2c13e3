package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How one agent of a request ended. */
public enum AgentStatus {
    @JsonProperty("complete") COMPLETE,
    @JsonProperty("failed") FAILED,
    /** Missed the agents' deadline; its answer, if it comes, is dropped. */
    @JsonProperty("late") LATE,
    /** Not needed any more (early stop or cancellation). */
    @JsonProperty("cancelled") CANCELLED
}
