package io.conclave.simulator;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything that shapes the simulator's behaviour, validated once so that neither the environment, the embedding
 * test nor {@code POST /sim/config} can put an instance into a nonsensical state.
 *
 * @param port           TCP port on 127.0.0.1; 0 picks a free one
 * @param ttftMs         time to first token
 * @param tokenMs        time per further token
 * @param jitterMs       uniform &plusmn; jitter added to the time to first token
 * @param tokens         completion tokens (words) per answer, at least 2 so the {@code Answer: X} line fits
 * @param maxConcurrency calls served at once, 0 = unlimited; further calls wait in FIFO order
 * @param disagreeRate   share of conversations (0..1) that end in a dissenting answer
 * @param errorRate429   probability of a simulated rate limit
 * @param errorRate500   probability of a simulated server error
 * @param retryAfterS    value of the {@code Retry-After} header on 429
 * @param seed           seed of the random draws (jitter, error injection); content never depends on it
 * @param failNext       status codes (429 or 500) returned by the next calls, one per call, in order
 * @param latencyRules   extra time to first token for matching conversations
 */
public record SimulatorConfig(
        int port,
        long ttftMs,
        long tokenMs,
        long jitterMs,
        int tokens,
        int maxConcurrency,
        double disagreeRate,
        double errorRate429,
        double errorRate500,
        int retryAfterS,
        long seed,
        List<Integer> failNext,
        List<LatencyRule> latencyRules) {

    /** Status codes {@code fail_next} may hold. */
    public static final Set<Integer> INJECTABLE_STATUSES = Set.of(429, 500);

    public SimulatorConfig {
        require(port >= 0 && port <= 65535, "port must be within 0..65535");
        require(ttftMs >= 0, "ttft_ms must be >= 0");
        require(tokenMs >= 0, "token_ms must be >= 0");
        require(jitterMs >= 0, "jitter_ms must be >= 0");
        require(tokens >= 2, "tokens must be >= 2");
        require(maxConcurrency >= 0, "max_concurrency must be >= 0");
        require(isRate(disagreeRate), "disagree_rate must be within 0..1");
        require(isRate(errorRate429), "error_rate_429 must be within 0..1");
        require(isRate(errorRate500), "error_rate_500 must be within 0..1");
        require(errorRate429 + errorRate500 <= 1.0, "error_rate_429 + error_rate_500 must be <= 1");
        require(retryAfterS >= 0, "retry_after_s must be >= 0");
        failNext = copyWithoutNulls(failNext, "fail_next");
        require(INJECTABLE_STATUSES.containsAll(failNext), "fail_next may only hold 429 and 500");
        latencyRules = copyWithoutNulls(latencyRules, "latency_rules");
    }

    /** The documented defaults (port 8090, 200 ms to first token, 5 ms per token, 64 tokens, no faults). */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig(8090, 200, 5, 0, 64, 0, 0, 0, 0, 1, 42, List.of(), List.of());
    }

    public static Builder builder() {
        return defaults().toBuilder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static <T> List<T> copyWithoutNulls(List<T> list, String name) {
        require(list != null && list.stream().allMatch(Objects::nonNull), name + " must be a list without nulls");
        return List.copyOf(list);
    }

    private static boolean isRate(double value) {
        return value >= 0 && value <= 1;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Fluent construction for tests: {@code SimulatorConfig.builder().port(0).ttftMs(20).build()}. */
    public static final class Builder {
        private int port;
        private long ttftMs;
        private long tokenMs;
        private long jitterMs;
        private int tokens;
        private int maxConcurrency;
        private double disagreeRate;
        private double errorRate429;
        private double errorRate500;
        private int retryAfterS;
        private long seed;
        private List<Integer> failNext;
        private List<LatencyRule> latencyRules;

        private Builder(SimulatorConfig from) {
            port = from.port;
            ttftMs = from.ttftMs;
            tokenMs = from.tokenMs;
            jitterMs = from.jitterMs;
            tokens = from.tokens;
            maxConcurrency = from.maxConcurrency;
            disagreeRate = from.disagreeRate;
            errorRate429 = from.errorRate429;
            errorRate500 = from.errorRate500;
            retryAfterS = from.retryAfterS;
            seed = from.seed;
            failNext = from.failNext;
            latencyRules = from.latencyRules;
        }

        public Builder port(int value) { port = value; return this; }
        public Builder ttftMs(long value) { ttftMs = value; return this; }
        public Builder tokenMs(long value) { tokenMs = value; return this; }
        public Builder jitterMs(long value) { jitterMs = value; return this; }
        public Builder tokens(int value) { tokens = value; return this; }
        public Builder maxConcurrency(int value) { maxConcurrency = value; return this; }
        public Builder disagreeRate(double value) { disagreeRate = value; return this; }
        public Builder errorRate429(double value) { errorRate429 = value; return this; }
        public Builder errorRate500(double value) { errorRate500 = value; return this; }
        public Builder retryAfterS(int value) { retryAfterS = value; return this; }
        public Builder seed(long value) { seed = value; return this; }
        public Builder failNext(List<Integer> value) { failNext = value; return this; }
        public Builder latencyRules(List<LatencyRule> value) { latencyRules = value; return this; }

        /** @throws IllegalArgumentException if a value is out of range */
        public SimulatorConfig build() {
            return new SimulatorConfig(port, ttftMs, tokenMs, jitterMs, tokens, maxConcurrency, disagreeRate,
                    errorRate429, errorRate500, retryAfterS, seed, failNext, latencyRules);
        }
    }
}
