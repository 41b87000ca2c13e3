package io.conclave.simulator;

/**
 * Makes selected conversations slow: tests recognise one agent by a substring of its prompt and give it extra
 * time to first token, to exercise deadlines and partial results.
 *
 * @param match       substring looked for in every message content of a request
 * @param extraTtftMs milliseconds added to the time to first token when it matches
 */
public record LatencyRule(String match, long extraTtftMs) {

    public LatencyRule {
        if (match == null || match.isEmpty()) {
            throw new IllegalArgumentException("latency rule 'match' must be a non-empty string");
        }
        if (extraTtftMs < 0) {
            throw new IllegalArgumentException("latency rule 'extra_ttft_ms' must be >= 0");
        }
    }

    boolean matches(String content) {
        return content.contains(match);
    }
}
