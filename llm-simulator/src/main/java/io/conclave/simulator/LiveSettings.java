package io.conclave.simulator;

import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;

/**
 * The settings a running simulator uses for the next call, and the seeded random draws made from them (jitter,
 * injected errors), so a run with the same seed and the same call order behaves the same. Event-loop confined.
 */
final class LiveSettings {

    private final Random random;
    private final ArrayDeque<Integer> failNext = new ArrayDeque<>();
    private SimulatorConfig config;

    LiveSettings(SimulatorConfig config) {
        this.random = new Random(config.seed());
        replace(config);
    }

    /** The current settings; {@code fail_next} shows only the codes not yet consumed. */
    SimulatorConfig current() {
        return config.toBuilder().failNext(List.copyOf(failNext)).build();
    }

    void replace(SimulatorConfig newConfig) {
        config = newConfig;
        failNext.clear();
        failNext.addAll(newConfig.failNext());
    }

    /** The status to fail the next call with: a queued {@code fail_next} code first, then the random error rates. */
    OptionalInt nextFailure() {
        if (!failNext.isEmpty()) {
            return OptionalInt.of(failNext.removeFirst());
        }
        double draw = random.nextDouble();
        if (draw < config.errorRate429()) {
            return OptionalInt.of(429);
        }
        if (draw < config.errorRate429() + config.errorRate500()) {
            return OptionalInt.of(500);
        }
        return OptionalInt.empty();
    }

    /** Time to first token: base, plus uniform jitter, plus every matching latency rule. */
    long ttftMs(ChatRequest request) {
        long jitter = (long) (random.nextDouble() * (2 * config.jitterMs() + 1)) - config.jitterMs();
        long extra = config.latencyRules().stream()
                .filter(rule -> request.messages().stream().anyMatch(m -> rule.matches(m.content())))
                .mapToLong(LatencyRule::extraTtftMs)
                .sum();
        return Math.max(0, config.ttftMs() + jitter + extra);
    }

    int tokens() {
        return config.tokens();
    }

    long tokenMs() {
        return config.tokenMs();
    }

    double disagreeRate() {
        return config.disagreeRate();
    }

    int retryAfterS() {
        return config.retryAfterS();
    }
}
