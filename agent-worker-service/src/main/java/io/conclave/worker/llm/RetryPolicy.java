package io.conclave.worker.llm;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before retrying a failed call: jittered exponential backoff, but never less than the
 * provider's {@code Retry-After}.
 *
 * @param maxRetries retries after the first attempt
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max-retries must be >= 0");
        }
    }

    static RetryPolicy of(LlmConfig.Retry config) {
        return new RetryPolicy(config.maxRetries(), config.initialBackoff(), config.maxBackoff());
    }

    /**
     * @param failedAttempt the attempt that just failed, from 1
     * @param retryAfter what the provider asked for, or null
     * @return the delay before the next attempt: half to all of {@code initial × 2^(attempt-1)} (capped), or the
     *     Retry-After if that is longer
     */
    public Duration delay(int failedAttempt, Duration retryAfter, RandomGenerator random) {
        long cap = maxBackoff.toMillis();
        long base = Math.min(cap, initialBackoff.toMillis() << Math.min(failedAttempt - 1, 20));
        long jittered = base / 2 + (base > 1 ? random.nextLong(base / 2 + 1) : 0);
        long asked = retryAfter == null ? 0 : retryAfter.toMillis();
        return Duration.ofMillis(Math.max(jittered, asked));
    }
}
