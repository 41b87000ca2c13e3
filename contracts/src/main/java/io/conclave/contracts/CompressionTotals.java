package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Thought compression over one request: the agents' full outputs stayed in the workers, their notes travelled.
 *
 * @param outputTokens tokens of the full outputs of the agents that completed
 * @param notesTokens tokens of their notes
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompressionTotals(long outputTokens, long notesTokens) {

    /** Tokens that did not travel to the join because of compression (never negative). */
    public long savedTokens() {
        return Math.max(0, outputTokens - notesTokens);
    }
}
