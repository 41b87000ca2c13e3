package io.conclave.worker.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void opensAtTheFailureRatioThenProbesAndCloses() {
        CircuitBreaker breaker = new CircuitBreaker(4, 0.5, Duration.ofSeconds(10), clock);
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onSuccess();
        assertNull(breaker.tryAcquire(), "3 of 4 recorded: not yet a full window");
        breaker.onFailure();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertNotNull(breaker.tryAcquire());
        assertEquals("2 of the last 4 attempts failed", breaker.openReason());

        now = now.plusSeconds(10);
        assertNull(breaker.tryAcquire(), "one probe after the delay");
        assertNotNull(breaker.tryAcquire(), "only one probe at a time");
        breaker.onSuccess();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertNull(breaker.tryAcquire());
    }

    @Test
    void aFailedProbeOpensItAgain() {
        CircuitBreaker breaker = new CircuitBreaker(2, 1.0, Duration.ofSeconds(5), clock);
        breaker.onFailure();
        breaker.onFailure();
        now = now.plusSeconds(5);
        assertNull(breaker.tryAcquire());
        breaker.onFailure();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertNotNull(breaker.tryAcquire());
    }

    @Test
    void oldFailuresLeaveTheWindow() {
        CircuitBreaker breaker = new CircuitBreaker(3, 0.67, Duration.ofSeconds(5), clock);
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onSuccess();
        breaker.onFailure(); // window: success, success, failure
        breaker.onSuccess();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }
}
