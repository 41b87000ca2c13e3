package io.conclave.worker.llm;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * One named provider as the worker uses it: a streamed call bounded by the sub-task's deadline, retried on 429,
 * 5xx and connection errors as long as no token has arrived yet (a retry after that would repeat text already
 * streamed), with jittered exponential backoff that honours {@code Retry-After} and never waits past the deadline.
 *
 * <p>The retry is a small Mutiny loop rather than SmallRye Fault Tolerance: each attempt's timeout and whether
 * another one fits depend on the sub-task's deadline, and the guarded thing is a stream, not a {@code Uni}.
 */
public final class LlmProvider implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LlmProvider.class);
    static final String CALLS_METRIC = "conclave.agent.calls";
    static final String LATENCY_METRIC = "conclave.llm.latency";
    static final String RETRIES_METRIC = "conclave.llm.retries";
    static final String ERRORS_METRIC = "conclave.llm.errors";

    private final OpenAiChatClient client;
    private final RetryPolicy retry;
    private final Vertx vertx;
    private final Clock clock;
    private final MeterRegistry meters;
    private final RandomGenerator random;
    private final CircuitBreaker breaker;
    private final Tracer tracer;

    public LlmProvider(OpenAiChatClient client, RetryPolicy retry, Vertx vertx, Clock clock, MeterRegistry meters,
            RandomGenerator random) {
        this(client, retry, new CircuitBreaker(20, 0.5, Duration.ofSeconds(10), clock), vertx, clock, meters,
                random);
    }

    public LlmProvider(OpenAiChatClient client, RetryPolicy retry, CircuitBreaker breaker, Vertx vertx,
            Clock clock, MeterRegistry meters, RandomGenerator random) {
        this(client, retry, breaker, vertx, clock, meters, random, OpenTelemetry.noop().getTracer("conclave"));
    }

    /** @param tracer makes one span per attempt, a child of the current context (the sub-task's span) */
    public LlmProvider(OpenAiChatClient client, RetryPolicy retry, CircuitBreaker breaker, Vertx vertx,
            Clock clock, MeterRegistry meters, RandomGenerator random, Tracer tracer) {
        this.tracer = tracer;
        this.breaker = breaker;
        this.client = client;
        this.retry = retry;
        this.vertx = vertx;
        this.clock = clock;
        this.meters = meters;
        this.random = random;
    }

    public String name() {
        return client.settings().name();
    }

    public String defaultModel() {
        return client.settings().defaultModel();
    }

    /**
     * @param deadline when the answer stops being useful, or null for none (the provider timeout still applies)
     * @return the chunks of the first attempt that got an answer; fails with {@link LlmCallException} whose
     *     {@code attempts} says how many were made
     */
    public Multi<ChatChunk> stream(LlmRequest request, Instant deadline) {
        return attempt(request, deadline, 1);
    }

    private Multi<ChatChunk> attempt(LlmRequest request, Instant deadline, int attempt) {
        return Multi.createFrom().deferred(() -> {
            Duration left = deadline == null ? null : Duration.between(clock.instant(), deadline);
            Duration providerTimeout = client.settings().timeout();
            if (left != null && (left.isNegative() || left.isZero())) {
                return Multi.createFrom().failure(LlmCallException
                        .timeout(name(), Duration.ZERO, "the sub-task's deadline had passed")
                        .afterAttempts(attempt));
            }
            boolean deadlineBound = left != null && left.compareTo(providerTimeout) < 0;
            Duration budget = deadlineBound ? left : providerTimeout;
            String bound = deadlineBound ? "the sub-task's deadline" : "the provider timeout";
            Duration open = breaker.tryAcquire();
            if (open != null) {
                countCall("circuit_open");
                return Multi.createFrom().failure(LlmCallException.circuitOpen(name(), breaker.openReason(), open)
                        .afterAttempts(attempt));
            }
            AtomicBoolean streaming = new AtomicBoolean();
            Span span = callSpan(request, attempt);
            long started = System.nanoTime();
            return client.stream(request, budget, bound)
                    .onItem().invoke(chunk -> {
                        streaming.set(true);
                        if (chunk.usage() != null) {
                            span.setAttribute("gen_ai.usage.input_tokens", chunk.usage().promptTokens());
                            span.setAttribute("gen_ai.usage.output_tokens", chunk.usage().completionTokens());
                        }
                    })
                    .onCompletion().invoke(() -> {
                        breaker.onSuccess();
                        countCall("success");
                        ended(span, started, "success", null);
                    })
                    .onCancellation().invoke(() -> {
                        breaker.onNeutral();
                        countCall("cancelled");
                        ended(span, started, "cancelled", null);
                    })
                    .onFailure().invoke(failure -> {
                        ended(span, started, LlmCallException.of(name(), failure).result(), failure);
                        judge(failure, deadlineBound);
                    })
                    .onFailure().recoverWithMulti(failure ->
                            afterFailure(request, deadline, attempt, streaming.get(), failure));
        });
    }

    private Multi<ChatChunk> afterFailure(LlmRequest request, Instant deadline, int attempt, boolean streaming,
            Throwable failure) {
        LlmCallException error = LlmCallException.of(name(), failure).afterAttempts(attempt);
        countCall(error.result());
        if (streaming || !error.retryable() || attempt > retry.maxRetries()) {
            return Multi.createFrom().failure(error);
        }
        Duration delay = retry.delay(attempt, error.retryAfter(), random);
        if (deadline != null && clock.instant().plus(delay).isAfter(deadline)) {
            String why = error.retryAfter() != null && error.retryAfter().equals(delay)
                    ? "its Retry-After of " + delay.toSeconds() + " s ends after the deadline"
                    : "a retry in " + delay.toMillis() + " ms would end after the deadline";
            return Multi.createFrom().failure(error.noted(why));
        }
        LOG.infof("provider %s failed on attempt %d (%s); retrying in %d ms", name(), attempt, error.result(),
                delay.toMillis());
        meters.counter(RETRIES_METRIC, "provider", name(), "reason", error.result()).increment();
        return sleep(delay).onItem().transformToMulti(ignored -> attempt(request, deadline, attempt + 1));
    }

    /** Tells the breaker about a failed attempt; running out of the sub-task's own time is not the provider's fault. */
    private void judge(Throwable failure, boolean deadlineBound) {
        LlmCallException error = LlmCallException.of(name(), failure);
        boolean ownDeadline = deadlineBound && error.kind() == LlmCallException.Kind.TIMEOUT;
        if (error.providerFault() && !ownDeadline) {
            breaker.onFailure();
        } else {
            breaker.onNeutral();
        }
    }

    /** The breaker's state, for health and tests. */
    public CircuitBreaker.State circuit() {
        return breaker.state();
    }

    /** A timer on the current Vert.x context, so the retry stays on the sub-task's context (and its MDC). */
    private Uni<Void> sleep(Duration delay) {
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> emitter.complete(null));
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        });
    }

    private void countCall(String result) {
        meters.counter(CALLS_METRIC, "provider", name(), "result", result).increment();
        if (!result.equals("success") && !result.equals("cancelled")) {
            meters.counter(ERRORS_METRIC, "provider", name(), "result", result).increment();
        }
    }

    /** One attempt as an OpenTelemetry client span (GenAI semantic conventions), child of the current context. */
    private Span callSpan(LlmRequest request, int attempt) {
        String model = request.model() == null ? defaultModel() : request.model();
        return tracer.spanBuilder("chat " + model)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.provider.name", name())
                .setAttribute("gen_ai.request.model", model)
                .setAttribute("conclave.llm.attempt", attempt)
                .startSpan();
    }

    /** Ends an attempt's span and records its latency by provider and result. */
    private void ended(Span span, long startedNanos, String result, Throwable failure) {
        long nanos = System.nanoTime() - startedNanos;
        Timer.builder(LATENCY_METRIC)
                .description("Duration of one LLM call attempt, from the request to the end of its stream")
                .tag("provider", name())
                .tag("result", result)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
        span.setAttribute("conclave.llm.result", result);
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, result);
            span.recordException(failure);
        }
        span.end();
    }

    @Override
    public void close() {
        client.close();
    }
}
