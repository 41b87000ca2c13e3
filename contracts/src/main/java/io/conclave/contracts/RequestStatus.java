package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a request ended. */
public enum RequestStatus {
    /** Every agent answered in time. */
    @JsonProperty("complete") COMPLETE,
    /** The reply was built from the agents that answered before the deadline. */
    @JsonProperty("partial") PARTIAL,
    /** No usable answer: every agent failed or was late, or the synthesis failed. */
    @JsonProperty("failed") FAILED,
    @JsonProperty("cancelled") CANCELLED
}
