package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a join turns its agents' answers into one reply (DESIGN.md §3). */
public enum Strategy {
    /** One agent whose answer is the reply (instant and thinking modes). */
    @JsonProperty("single") SINGLE,
    @JsonProperty("synthesize") SYNTHESIZE,
    @JsonProperty("vote") VOTE,
    @JsonProperty("decompose") DECOMPOSE
}
