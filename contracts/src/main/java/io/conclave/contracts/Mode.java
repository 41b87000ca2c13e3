package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How much thought a request gets; chosen by the public model name (DESIGN.md §3). */
public enum Mode {
    @JsonProperty("instant") INSTANT,
    @JsonProperty("thinking") THINKING,
    @JsonProperty("contemplating") CONTEMPLATING
}
