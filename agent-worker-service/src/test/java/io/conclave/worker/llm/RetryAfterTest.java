package io.conclave.worker.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private final Instant now = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void readsDelaySeconds() {
        assertEquals(Duration.ofSeconds(7), RetryAfter.parse("7", now));
        assertEquals(Duration.ZERO, RetryAfter.parse(" 0 ", now));
    }

    @Test
    void readsAnHttpDate() {
        assertEquals(Duration.ofSeconds(90), RetryAfter.parse("Sun, 22 Nov 2026 10:01:30 GMT", now));
        assertEquals(Duration.ZERO, RetryAfter.parse("Sun, 22 Nov 2026 09:00:00 GMT", now), "past dates: now");
    }

    @Test
    void absentOrUnreadableIsNull() {
        assertNull(RetryAfter.parse(null, now));
        assertNull(RetryAfter.parse("", now));
        assertNull(RetryAfter.parse("soon", now));
        assertNull(RetryAfter.parse("-5", now));
        assertNull(RetryAfter.parse("99999999999999999999999", now));
    }
}
