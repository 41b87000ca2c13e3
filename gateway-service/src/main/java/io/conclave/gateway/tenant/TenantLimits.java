package io.conclave.gateway.tenant;

import io.conclave.gateway.GatewayConfig;
import io.conclave.gateway.api.ApiError;
import io.conclave.gateway.api.ApiException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Per-tenant admission on this replica: requests per minute, requests open at once and agents per
 * request, plus the replica's bound on open requests (load shedding). Each refusal is a 429 or 503
 * with {@code Retry-After}; an admitted request holds a {@link Permit} until it ends.
 */
@Singleton
public final class TenantLimits {

    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final GatewayConfig.Limits limits;
    private final int maxPending;
    private final LongSupplier nanoTime;
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();

    @Inject
    public TenantLimits(GatewayConfig config) {
        this(config, System::nanoTime);
    }

    public TenantLimits(GatewayConfig config, LongSupplier nanoTime) {
        this.limits = config.limits();
        this.maxPending = config.maxPending();
        this.nanoTime = nanoTime;
    }

    /**
     * Admits one request of {@code tenant} asking for {@code agents} agents (null: the plan's default).
     *
     * @throws ApiException 503 above the replica's pending bound, 429 over a tenant limit
     */
    public Permit admit(String tenant, Integer agents) {
        if (agents != null && agents > limits.agents()) {
            throw limited(429, "agents_limit_exceeded", "'conclave.agents' is " + agents + " but this tenant may use "
                    + "at most " + limits.agents() + " agents per request", "conclave.agents", 60);
        }
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            throw limited(503, "overloaded", "the gateway holds " + maxPending + " open requests already; retry"
                    + " shortly", null, 1);
        }
        Usage tenantUsage = usage.computeIfAbsent(tenant, ignored -> new Usage());
        try {
            tenantUsage.admit(nanoTime.getAsLong(), limits);
        } catch (ApiException e) {
            pending.decrementAndGet();
            throw e;
        }
        return new Permit(tenantUsage);
    }

    /** Open requests on this replica, for the gauge. */
    public int pending() {
        return pending.get();
    }

    private static ApiException limited(int status, String code, String message, String param, long retryAfter) {
        return new ApiError(status, status == 429 ? "rate_limit_error" : "service_unavailable", code, message, param,
                retryAfter).exception();
    }

    /** One tenant's recent admissions and open requests. */
    private static final class Usage {
        private final Deque<Long> admittedAt = new ArrayDeque<>();
        private int open;

        synchronized void admit(long now, GatewayConfig.Limits limits) {
            while (!admittedAt.isEmpty() && now - admittedAt.peekFirst() >= MINUTE_NANOS) {
                admittedAt.pollFirst();
            }
            if (admittedAt.size() >= limits.requestsPerMinute()) {
                long wait = MINUTE_NANOS - (now - admittedAt.peekFirst());
                throw limited(429, "rate_limit_exceeded", "this tenant may send " + limits.requestsPerMinute()
                        + " requests per minute", null, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait) + 1));
            }
            if (open >= limits.inFlight()) {
                throw limited(429, "too_many_requests_in_flight", "this tenant has " + open + " requests in flight,"
                        + " its limit; wait for one to finish", null, 1);
            }
            admittedAt.addLast(now);
            open++;
        }

        synchronized void release() {
            open--;
        }
    }

    /** An admitted request's share of the limits; {@link #release()} it once, when the request ends. */
    public final class Permit {
        private final Usage tenantUsage;
        private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

        private Permit(Usage tenantUsage) {
            this.tenantUsage = tenantUsage;
        }

        /** Idempotent: only the first call frees the slot. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                tenantUsage.release();
                pending.decrementAndGet();
            }
        }
    }
}
