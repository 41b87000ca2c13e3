package io.conclave.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.Headers;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.gateway.GatewayConfig;
import io.conclave.gateway.reply.PendingReplies;
import io.conclave.gateway.reply.Reply;
import io.conclave.gateway.reply.ReplyMapper;
import io.conclave.gateway.reply.ReplyTimeoutException;
import io.conclave.gateway.submit.RequestPublisher;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
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
 * {@code POST /v1/chat/completions}: validates the body, publishes the request and answers when
 * its result comes back on {@code conclave.results}, without a thread waiting in between.
 */
@Path("/v1/chat/completions")
public final class ChatCompletionsResource {

    /** MDC key carrying the correlation ID into the log lines of one request. */
    public static final String MDC_CORRELATION_ID = "correlationId";

    private static final Logger LOG = Logger.getLogger(ChatCompletionsResource.class);

    private final ChatRequestParser parser;
    private final RequestPublisher publisher;
    private final PendingReplies replies;
    private final ReplyMapper mapper;
    private final GatewayConfig config;
    private final MeterRegistry registry;
    private final DistributionSummary overhead;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public ChatCompletionsResource(ChatRequestParser parser, RequestPublisher publisher, PendingReplies replies,
            ReplyMapper mapper, GatewayConfig config, MeterRegistry registry) {
        this.parser = parser;
        this.publisher = publisher;
        this.replies = replies;
        this.mapper = mapper;
        this.config = config;
        this.registry = registry;
        this.overhead = DistributionSummary.builder("conclave.overhead")
                .description("Time a request spent outside LLM calls")
                .baseUnit("milliseconds")
                .register(registry);
    }

    /** One accepted call: what was asked, its correlation ID, and when it arrived. */
    private record Call(ChatRequest request, String correlationId, Instant receivedAt, long startedNanos) {
        long elapsedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        }

        String mode() {
            return request.model().mode().name().toLowerCase(Locale.ROOT);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> create(String body) {
        long startedNanos = System.nanoTime();
        Instant receivedAt = clock.instant();
        ChatRequest request = parser.parse(body);
        Call call = new Call(request, UUID.randomUUID().toString(), receivedAt, startedNanos);
        MDC.put(MDC_CORRELATION_ID, call.correlationId());
        PendingReplies.Pending pending = replies.register(call.correlationId());
        return publisher.publish(submitted(call))
                .onItemOrFailure().transformToUni((ignored, failure) -> failure == null
                        ? awaitReply(call, pending)
                        : Uni.createFrom().item(() -> notAccepted(call, pending, failure)));
    }

    private Uni<Response> awaitReply(Call call, PendingReplies.Pending pending) {
        Duration wait = deadlineOf(call.request()).plus(config.resultGrace())
                .minusMillis(call.elapsedMillis());
        return pending.result(wait)
                .map(result -> answered(call, result))
                .onFailure(ReplyTimeoutException.class).recoverWithItem(() -> timedOut(call));
    }

    private Response answered(Call call, RequestCompleted result) {
        Reply reply = mapper.map(result, call.request().model().id(), call.receivedAt());
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

    private Response timedOut(Call call) {
        record(call, "timeout", call.elapsedMillis());
        long deadline = deadlineOf(call.request()).toMillis();
        LOG.warnf("request %s got no result within its deadline of %d ms plus the grace", call.correlationId(),
                deadline);
        ApiError error = new ApiError(504, "timeout_error", "deadline_exceeded", "no answer within the request's"
                + " deadline of " + deadline + " ms plus " + config.resultGrace().toMillis() + " ms of grace", null);
        // As far as the client can tell the request failed; its result, if it comes later, is kept.
        ObjectNode body = error.body();
        ObjectNode conclave = body.putObject("conclave");
        conclave.put("correlation_id", call.correlationId());
        conclave.put("mode", call.mode());
        conclave.put("status", "failed");
        return Response.status(504).type(MediaType.APPLICATION_JSON_TYPE).entity(body)
                .header(Headers.CORRELATION_ID, call.correlationId()).build();
    }

    private Response notAccepted(Call call, PendingReplies.Pending pending, Throwable failure) {
        pending.cancel();
        record(call, "not_accepted", call.elapsedMillis());
        if (tooLargeForKafka(failure)) {
            LOG.warnf("request %s is larger than a Kafka record may be: %s", call.correlationId(), failure);
            return new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large", "the request is larger than the"
                    + " gateway can queue; send fewer or shorter messages", "messages").toResponse();
        }
        LOG.errorf(failure, "could not publish request %s", call.correlationId());
        return new ApiError(503, "service_unavailable", "not_accepted", "the request could not be queued, so"
                + " nothing was accepted; retry later", null).toResponse();
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

    private RequestSubmitted submitted(Call call) {
        ChatRequest request = call.request();
        return new RequestSubmitted(call.correlationId(), UUID.randomUUID().toString(), call.receivedAt(),
                ConclaveEvent.SCHEMA_VERSION, config.tenant(), request.model().id(), request.model().mode(),
                request.messages(), request.agents(), request.strategy(), request.deadlineMs(), request.quorum(),
                request.maxTokens(), request.temperature(), request.stream());
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
                .tag("status", status)
                .register(registry)
                .record(elapsedMillis, TimeUnit.MILLISECONDS);
    }
}
