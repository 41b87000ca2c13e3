package io.conclave.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.Headers;
import io.conclave.contracts.Mode;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.gateway.GatewayConfig;
import io.conclave.gateway.progress.ProgressHub;
import io.conclave.gateway.progress.Update;
import io.conclave.gateway.reply.PendingReplies;
import io.conclave.gateway.reply.Reply;
import io.conclave.gateway.reply.ReplyMapper;
import io.conclave.gateway.reply.ReplyTimeoutException;
import io.conclave.gateway.requests.OpenRequests;
import io.conclave.gateway.stream.ChunkStream;
import io.conclave.gateway.submit.Cancellations;
import io.conclave.gateway.submit.RequestPublisher;
import io.conclave.gateway.tenant.TenantLimits;
import io.conclave.gateway.tenant.Tenants;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Chat completions, blocking no thread: validates and admits a request, publishes it, then answers when its
 * result comes back on {@code conclave.results} ({@link #complete}), streams its tokens from
 * {@code conclave.progress} ({@link #stream}), or hands back its id at once ({@link #submit}).
 */
@Singleton
public final class ChatCompletions {

    /** MDC key carrying the correlation ID into the log lines of one request. */
    public static final String MDC_CORRELATION_ID = "correlationId";

    private static final Logger LOG = Logger.getLogger(ChatCompletions.class);

    private final ChatRequestParser parser;
    private final RequestPublisher publisher;
    private final PendingReplies replies;
    private final ReplyMapper mapper;
    private final GatewayConfig config;
    private final Tenants tenants;
    private final TenantLimits limits;
    private final OpenRequests open;
    private final ProgressHub hub;
    private final Cancellations cancellations;
    private final MeterRegistry registry;
    private final DistributionSummary overhead;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public ChatCompletions(ChatRequestParser parser, RequestPublisher publisher, PendingReplies replies,
            ReplyMapper mapper, GatewayConfig config, Tenants tenants, TenantLimits limits, OpenRequests open,
            ProgressHub hub, Cancellations cancellations, MeterRegistry registry) {
        this.cancellations = cancellations;
        this.parser = parser;
        this.publisher = publisher;
        this.replies = replies;
        this.mapper = mapper;
        this.config = config;
        this.tenants = tenants;
        this.limits = limits;
        this.open = open;
        this.hub = hub;
        this.registry = registry;
        this.overhead = DistributionSummary.builder("conclave.overhead")
                .description("Time a request spent outside LLM calls")
                .baseUnit("milliseconds")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(60_000.0)
                .register(registry);
        registry.gauge("conclave.requests.open", limits, TenantLimits::pending);
    }

    /** One accepted call: what was asked, by whom, its correlation ID, and when it arrived. */
    public record Call(ChatRequest request, String tenant, String correlationId, Instant receivedAt,
            long startedNanos) {
        long elapsedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        }

        String mode() {
            return request.model().mode().name().toLowerCase(Locale.ROOT);
        }

        /** The strategy asked for, or the one the planner picks without one: a metric tag. */
        String strategy() {
            if (request.strategy() != null) {
                return request.strategy().name().toLowerCase(Locale.ROOT);
            }
            return request.model().mode() == Mode.CONTEMPLATING ? "synthesize" : "single";
        }

        public boolean stream() {
            return request.stream();
        }
    }

    /**
     * Validates, authenticates and admits a call; it then holds a slot of its tenant's limits until it ends.
     *
     * @throws ApiException 400/404 for a bad body, 401 for a bad key, 429/503 over a limit
     */
    public Call accept(String body, String authorization) {
        long startedNanos = System.nanoTime();
        Instant receivedAt = clock.instant();
        String tenant = tenants.authenticate(authorization);
        ChatRequest request = parser.parse(body);
        TenantLimits.Permit permit = limits.admit(tenant, request.agents());
        Call call = new Call(request, tenant, UUID.randomUUID().toString(), receivedAt, startedNanos);
        open.add(call.correlationId(), tenant, request.modelName(), request.model().mode(), receivedAt, permit);
        MDC.put(MDC_CORRELATION_ID, call.correlationId());
        return call;
    }

    /** Non-streaming: the reply once the result is back, or a 504 after the deadline plus the grace. */
    public Uni<Response> complete(Call call) {
        PendingReplies.Pending pending = replies.register(call.correlationId());
        return publisher.publish(submitted(call, false))
                .onItemOrFailure().transformToUni((ignored, failure) -> failure == null
                        ? awaitReply(call, pending)
                        : Uni.createFrom().item(() -> {
                            pending.cancel();
                            return notAccepted(call, failure);
                        }))
                .onTermination().invoke(() -> open.close(call.correlationId()));
    }

    /**
     * The client closed its connection before its answer: the request is cancelled like a {@code DELETE}, so that
     * its agents stop spending tokens on an answer nobody will read. Call it before cancelling the reply's
     * subscription, which closes the open request.
     */
    public void abandoned(Call call) {
        open.get(call.correlationId()).ifPresent(request -> cancellations.cancel(request, "the client disconnected")
                .subscribe().with(
                        ignored -> LOG.infof("request %s cancelled: the client disconnected", call.correlationId()),
                        failure -> LOG.warnf("request %s: the client disconnected, but the cancellation was not "
                                + "sent: %s", call.correlationId(), failure.getMessage())));
    }

    /** A stream that could start (its frames), or the error that stopped it before any byte was sent. */
    public record Streaming(Multi<String> frames, Response refused) {
    }

    /**
     * Streaming: once the broker has the request, an SSE stream of {@code chat.completion.chunk}s fed by the
     * request's token deltas on {@code conclave.progress}; it ends with the result or at the deadline.
     */
    public Uni<Streaming> stream(Call call) {
        ProgressHub.Watch watch = hub.open(call.correlationId());
        return publisher.publish(submitted(call, true)).onItemOrFailure().transform((ignored, failure) -> {
            if (failure != null) {
                watch.close();
                open.close(call.correlationId());
                return new Streaming(null, notAccepted(call, failure));
            }
            return new Streaming(frames(call, watch), null);
        });
    }

    private Multi<String> frames(Call call, ProgressHub.Watch watch) {
        ChunkStream chunks = new ChunkStream(call.correlationId(), call.request().modelName(),
                call.receivedAt().getEpochSecond(), call.request().includeUsage(), mapper);
        Duration wait = remaining(call);
        Multi<String> body = watch.updates()
                .select().first(wait)
                .onItem().invoke(update -> {
                    if (update instanceof Update.Finished finished) {
                        record(call, finished.result().status().name().toLowerCase(Locale.ROOT), call.elapsedMillis());
                    }
                })
                .onItem().transformToIterable(chunks::on)
                .onCompletion().switchTo(() -> {
                    if (chunks.ended()) {
                        return Multi.createFrom().empty();
                    }
                    record(call, "timeout", call.elapsedMillis());
                    return Multi.createFrom().iterable(chunks.timedOut(timeoutError(call)));
                });
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(chunks::start), body)
                .onTermination().invoke(() -> open.close(call.correlationId()));
    }

    /**
     * Async: 202 with the request's id once the broker has it; the result is read later with
     * {@code GET /v1/requests/{id}}. The tenant's slot is held until the result arrives or the deadline passes.
     */
    public Uni<Response> submit(Call call) {
        if (call.stream()) {
            open.close(call.correlationId());
            throw ApiError.invalid(ChatRequestParser.INVALID_VALUE, "stream", "'stream' is not used by /v1/requests;"
                    + " follow GET /v1/requests/{id}/events for progress").exception();
        }
        return publisher.publish(submitted(call, true)).onItemOrFailure().transform((ignored, failure) -> {
            if (failure != null) {
                open.close(call.correlationId());
                return notAccepted(call, failure);
            }
            Uni.createFrom().voidItem().onItem().delayIt().by(remaining(call))
                    .subscribe().with(done -> open.close(call.correlationId()));
            ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            body.put("id", call.correlationId());
            body.put("object", "conclave.request");
            body.put("status", "queued");
            body.put("model", call.request().modelName());
            body.put("created", call.receivedAt().getEpochSecond());
            return Response.status(202).type(MediaType.APPLICATION_JSON_TYPE).entity(body)
                    .header(Headers.CORRELATION_ID, call.correlationId())
                    .header("Location", "/v1/requests/" + call.correlationId())
                    .build();
        });
    }

    /** The call ended before it was published (refused while admitted): frees its slot. */
    public void abandon(Call call) {
        open.close(call.correlationId());
    }

    private Uni<Response> awaitReply(Call call, PendingReplies.Pending pending) {
        return pending.result(remaining(call))
                .map(result -> answered(call, result))
                .onFailure(ReplyTimeoutException.class).recoverWithItem(() -> timedOut(call));
    }

    private Duration remaining(Call call) {
        return deadlineOf(call.request()).plus(config.resultGrace()).minusMillis(call.elapsedMillis());
    }

    private Response answered(Call call, RequestCompleted result) {
        Reply reply = mapper.map(result, call.request().modelName(), call.receivedAt());
        long elapsed = call.elapsedMillis();
        long outsideLlm = Math.max(0, elapsed - result.llmMs());
        record(call, result.status().name().toLowerCase(Locale.ROOT), elapsed);
        overhead.record(outsideLlm);
        if (reply.status() != 200) {
            LOG.warnf("request %s ended %s: %s", call.correlationId(), result.status(), result.error());
        }
        return Response.status(reply.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(reply.body())
                .header(Headers.CORRELATION_ID, call.correlationId())
                .header(Headers.OVERHEAD_MS, outsideLlm)
                .build();
    }

    private ApiError timeoutError(Call call) {
        long deadline = deadlineOf(call.request()).toMillis();
        LOG.warnf("request %s got no result within its deadline of %d ms plus the grace", call.correlationId(),
                deadline);
        return new ApiError(504, "timeout_error", "deadline_exceeded", "no answer within the request's"
                + " deadline of " + deadline + " ms plus " + config.resultGrace().toMillis() + " ms of grace", null);
    }

    private Response timedOut(Call call) {
        record(call, "timeout", call.elapsedMillis());
        // As far as the client can tell the request failed; its result, if it comes later, is kept.
        ObjectNode body = timeoutError(call).body();
        ObjectNode conclave = body.putObject("conclave");
        conclave.put("correlation_id", call.correlationId());
        conclave.put("mode", call.mode());
        conclave.put("status", "failed");
        return Response.status(504).type(MediaType.APPLICATION_JSON_TYPE).entity(body)
                .header(Headers.CORRELATION_ID, call.correlationId()).build();
    }

    private Response notAccepted(Call call, Throwable failure) {
        record(call, "not_accepted", call.elapsedMillis());
        if (tooLargeForKafka(failure)) {
            LOG.warnf("request %s is larger than a Kafka record may be: %s", call.correlationId(), failure);
            return new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large", "the request is larger than the"
                    + " gateway can queue; send fewer or shorter messages", "messages").toResponse();
        }
        LOG.errorf(failure, "could not publish request %s", call.correlationId());
        return new ApiError(503, "service_unavailable", "not_accepted", "the request could not be queued, so"
                + " nothing was accepted; retry later", null, 2L).toResponse();
    }

    /** Retrying cannot help a record over the producer's or broker's size limit. */
    private static boolean tooLargeForKafka(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param watched whether the client follows the request's progress (a stream or an async request); a plain
     *     call's ID is unknown to its client until the answer, so its agents need publish no progress at all
     */
    private RequestSubmitted submitted(Call call, boolean watched) {
        ChatRequest request = call.request();
        return new RequestSubmitted(call.correlationId(), UUID.randomUUID().toString(), call.receivedAt(),
                ConclaveEvent.SCHEMA_VERSION, call.tenant(), request.model().id(), request.model().mode(),
                request.messages(), request.agents(), request.strategy(), request.deadlineMs(), request.quorum(),
                request.maxTokens(), request.temperature(), request.stream(), request.agentChoices(), watched);
    }

    private Duration deadlineOf(ChatRequest request) {
        if (request.deadlineMs() != null) {
            return Duration.ofMillis(request.deadlineMs());
        }
        return switch (request.model().mode()) {
            case INSTANT -> config.deadline().instant();
            case THINKING -> config.deadline().thinking();
            case CONTEMPLATING -> config.deadline().contemplating();
        };
    }

    private void record(Call call, String status, long elapsedMillis) {
        Timer.builder("conclave.requests")
                .description("End-to-end latency of chat completions, from arrival to reply")
                .tag("mode", call.mode())
                .tag("strategy", call.strategy())
                .tag("stream", String.valueOf(call.stream()))
                .tag("status", status)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(3))
                .register(registry)
                .record(elapsedMillis, TimeUnit.MILLISECONDS);
    }
}
