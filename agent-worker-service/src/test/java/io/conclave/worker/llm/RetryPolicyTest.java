package io.conclave.worker.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(2, Duration.ofMillis(400), Duration.ofMillis(1000));
    private final Random random = new Random(1);

    @Test
    void backsOffExponentiallyWithJitterUpToTheCap() {
        for (int i = 0; i < 200; i++) {
            long first = policy.delay(1, null, random).toMillis();
            long second = policy.delay(2, null, random).toMillis();
            long third = policy.delay(3, null, random).toMillis();
            assertTrue(first >= 200 && first <= 400, "first " + first);
            assertTrue(second >= 400 && second <= 800, "second " + second);
            assertTrue(third >= 500 && third <= 1000, "capped " + third);
        }
    }

    @Test
    void neverWaitsLessThanRetryAfter() {
        assertEquals(Duration.ofSeconds(3), policy.delay(1, Duration.ofSeconds(3), random));
        assertTrue(policy.delay(1, Duration.ofMillis(1), random).toMillis() >= 200);
    }
}
