package io.conclave.worker.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * One provider's circuit breaker: after {@code failureRatio} of the last {@code requestVolume} attempts failed
 * for the provider's sake (5xx, lost connections, timeouts, broken streams — not 429 or bad requests), it opens
 * and calls fail at once with a reason that names the provider, for {@code delay}; then one probe call is let
 * through, and its outcome closes the breaker or opens it again.
 *
 * <p>Hand-written rather than SmallRye Fault Tolerance's {@code @CircuitBreaker}: the guarded thing is an attempt
 * of a stream inside a deadline-aware retry loop, whose success is known only at the stream's end, and the
 * breaker must be one per provider name read from configuration at runtime. Thread-safe.
 */
public final class CircuitBreaker {

    /** The breaker's state, as the metric and the reason show it. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int requestVolume;
    private final double failureRatio;
    private final Duration delay;
    private final Clock clock;
    private final boolean[] window;
    private int next;
    private int recorded;
    private int failures;
    private State state = State.CLOSED;
    private Instant openedAt;
    private boolean probing;
    private String lastOpenSummary = "";

    public CircuitBreaker(int requestVolume, double failureRatio, Duration delay, Clock clock) {
        if (requestVolume < 1 || failureRatio <= 0 || failureRatio > 1) {
            throw new IllegalArgumentException("circuit breaker: request-volume must be >= 1 and failure-ratio "
                    + "within (0, 1]");
        }
        this.requestVolume = requestVolume;
        this.failureRatio = failureRatio;
        this.delay = delay;
        this.clock = clock;
        this.window = new boolean[requestVolume];
    }

    /** @return null when the call may go ahead, else how long until the breaker lets a probe through */
    public synchronized Duration tryAcquire() {
        if (state == State.OPEN) {
            Duration waited = Duration.between(openedAt, clock.instant());
            if (waited.compareTo(delay) < 0) {
                return delay.minus(waited);
            }
            state = State.HALF_OPEN;
            probing = false;
        }
        if (state == State.HALF_OPEN) {
            if (probing) {
                return Duration.ZERO;
            }
            probing = true;
        }
        return null;
    }

    public synchronized void onSuccess() {
        if (state == State.HALF_OPEN) {
            reset(State.CLOSED);
            return;
        }
        record(false);
    }

    /** A failure that says something about the provider's health. */
    public synchronized void onFailure() {
        if (state == State.HALF_OPEN) {
            open();
            return;
        }
        record(true);
        if (recorded >= requestVolume && failures >= failureRatio * requestVolume) {
            open();
        }
    }

    /** An attempt that ended without telling (cancelled, or a client error): frees a half-open probe. */
    public synchronized void onNeutral() {
        if (state == State.HALF_OPEN) {
            probing = false;
        }
    }

    public synchronized State state() {
        return state == State.OPEN && !Duration.between(openedAt, clock.instant()).minus(delay).isNegative()
                ? State.HALF_OPEN : state;
    }

    /** The failures in the window, for the reason. */
    public synchronized String summary() {
        return failures + " of the last " + recorded + " attempts failed";
    }

    private void record(boolean failed) {
        if (recorded == requestVolume && window[next]) {
            failures--;
        }
        window[next] = failed;
        if (failed) {
            failures++;
        }
        next = (next + 1) % requestVolume;
        recorded = Math.min(recorded + 1, requestVolume);
    }

    private void open() {
        String summary = summary();
        reset(State.OPEN);
        openedAt = clock.instant();
        lastOpenSummary = summary;
    }

    /** What made the breaker open last. */
    public synchronized String openReason() {
        return lastOpenSummary;
    }

    private void reset(State to) {
        Arrays.fill(window, false);
        next = 0;
        recorded = 0;
        failures = 0;
        probing = false;
        state = to;
    }
}
