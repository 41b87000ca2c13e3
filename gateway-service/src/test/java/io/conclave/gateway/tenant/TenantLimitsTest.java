package io.conclave.gateway.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.conclave.gateway.api.ApiError;
import io.conclave.gateway.api.ApiException;
import io.conclave.gateway.support.TestGatewayConfigs;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Requests per minute, in flight and agents per tenant, and the replica's pending bound. */
class TenantLimitsTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void requestsPerMinuteSlideAndTellWhenToRetry() {
        TenantLimits limits = limits(Map.of("conclave.gateway.limits.requests-per-minute", "2"));
        limits.admit("acme", null).release();
        now.addAndGet(TimeUnit.SECONDS.toNanos(20));
        limits.admit("acme", null).release();

        ApiError refused = refused(() -> limits.admit("acme", null));
        assertEquals(429, refused.status());
        assertEquals("rate_limit_exceeded", refused.code());
        assertEquals(41L, refused.retryAfterSeconds(), "the oldest admission leaves the window in 40 s");
        limits.admit("globex", null).release();

        now.addAndGet(TimeUnit.SECONDS.toNanos(40));
        limits.admit("acme", null).release();
    }

    @Test
    void requestsInFlightAreCountedUntilReleasedOnce() {
        TenantLimits limits = limits(Map.of("conclave.gateway.limits.in-flight", "1"));
        TenantLimits.Permit first = limits.admit("acme", null);
        assertEquals("too_many_requests_in_flight", refused(() -> limits.admit("acme", null)).code());
        first.release();
        first.release();
        TenantLimits.Permit second = limits.admit("acme", null);
        assertEquals(429, refused(() -> limits.admit("acme", null)).status());
        second.release();
        assertEquals(0, limits.pending());
    }

    @Test
    void agentsAboveTheTenantCapAreRefusedNamingTheField() {
        TenantLimits limits = limits(Map.of("conclave.gateway.limits.agents", "4"));
        limits.admit("acme", 4).release();
        ApiError refused = refused(() -> limits.admit("acme", 5));
        assertEquals(429, refused.status());
        assertEquals("conclave.agents", refused.param());
        assertEquals(0, limits.pending());
    }

    @Test
    void aboveThePendingBoundTheReplicaShedsLoadWith503() {
        TenantLimits limits = limits(Map.of("conclave.gateway.max-pending", "2"));
        TenantLimits.Permit a = limits.admit("acme", null);
        limits.admit("globex", null);
        ApiError shed = refused(() -> limits.admit("initech", null));
        assertEquals(503, shed.status());
        assertEquals("overloaded", shed.code());
        assertEquals(1L, shed.retryAfterSeconds());
        a.release();
        limits.admit("initech", null);
        assertEquals(2, limits.pending());
    }

    private TenantLimits limits(Map<String, String> config) {
        return new TenantLimits(TestGatewayConfigs.with(config), now::get);
    }

    private static ApiError refused(Runnable call) {
        return assertThrows(ApiException.class, call::run).error();
    }
}
