package io.conclave.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.Headers;
import io.conclave.contracts.Mode;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.Strategy;
import io.conclave.gateway.GatewayConfig;
import io.conclave.gateway.progress.ProgressHub;
import io.conclave.gateway.reply.PendingReplies;
import io.conclave.gateway.requests.OpenRequests;
import io.conclave.gateway.tenant.TenantLimits;
import io.conclave.gateway.tenant.Tenants;
import io.smallrye.mutiny.Uni;
import io.conclave.gateway.reply.ReplyMapper;
import io.conclave.gateway.submit.Cancellations;
import io.conclave.gateway.submit.RequestPublisher;
import io.conclave.gateway.support.FakeEmitter;
import io.conclave.gateway.support.TestGatewayConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** The completion flow without Quarkus: publish, wait without blocking, answer, time out, refuse. */
class ChatCompletionsTest {

    private static final String BODY = "{\"model\":\"conclave-contemplating\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"What is 6 times 7?\"}],\"max_tokens\":300,\"temperature\":0.5,"
            + "\"conclave\":{\"agents\":3,\"strategy\":\"vote\",\"deadline_ms\":1000,\"quorum\":2}}";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PendingReplies replies = new PendingReplies();
    private final OpenRequests open = new OpenRequests();

    @Test
    void aRequestIsPublishedAndAnsweredByItsResult() {
        FakeEmitter<RequestSubmitted> emitter = FakeEmitter.acking();
        ChatCompletions resource = resource(emitter, Map.of());

        UniAssertSubscriber<Response> call = create(resource, BODY).subscribe()
                .withSubscriber(UniAssertSubscriber.create());

        Message<? extends RequestSubmitted> sent = emitter.sent().get(0);
        RequestSubmitted request = sent.getPayload();
        assertEquals(request.correlationId(), sent.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey());
        assertEquals(Mode.CONTEMPLATING, request.mode());
        assertEquals("conclave-contemplating", request.model());
        assertEquals("local", request.tenantId());
        assertEquals(3, request.agents());
        assertEquals(Strategy.VOTE, request.strategy());
        assertEquals(1000L, request.deadlineMs());
        assertEquals(2, request.quorum());
        assertEquals(300, request.maxTokens());
        assertEquals(0.5, request.temperature());
        assertEquals("What is 6 times 7?", request.messages().get(0).content());
        call.assertNotTerminated();

        replies.complete(completed(request.correlationId(), RequestStatus.COMPLETE, 0));

        Response response = call.awaitItem().getItem();
        assertEquals(200, response.getStatus());
        assertEquals(request.correlationId(), response.getHeaderString(Headers.CORRELATION_ID));
        assertTrue(Long.parseLong(response.getHeaderString(Headers.OVERHEAD_MS)) >= 0);
        JsonNode body = (JsonNode) response.getEntity();
        assertEquals("chatcmpl-" + request.correlationId(), body.get("id").asText());
        assertEquals("42", body.at("/choices/0/message/content").asText());
        assertEquals(1, registry.get("conclave.requests").tags("mode", "contemplating", "status", "complete")
                .timer().count());
        assertEquals(1, registry.get("conclave.overhead").summary().count());
    }

    @Test
    void llmTimeIsNotOverheadAndOverheadIsNeverNegative() {
        FakeEmitter<RequestSubmitted> emitter = FakeEmitter.acking();
        UniAssertSubscriber<Response> call = create(resource(emitter, Map.of()), BODY).subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        String id = emitter.sent().get(0).getPayload().correlationId();
        replies.complete(completed(id, RequestStatus.PARTIAL, 3_600_000));

        Response response = call.awaitItem().getItem();
        assertEquals("0", response.getHeaderString(Headers.OVERHEAD_MS));
        assertEquals(200, response.getStatus());
    }

    @Test
    void aFailedRequestIsA502WithItsHeaders() {
        FakeEmitter<RequestSubmitted> emitter = FakeEmitter.acking();
        UniAssertSubscriber<Response> call = create(resource(emitter, Map.of()), BODY).subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        String id = emitter.sent().get(0).getPayload().correlationId();
        replies.complete(completed(id, RequestStatus.FAILED, 10));

        Response response = call.awaitItem().getItem();
        assertEquals(502, response.getStatus());
        assertEquals(id, response.getHeaderString(Headers.CORRELATION_ID));
        assertEquals("agents_failed", ((JsonNode) response.getEntity()).at("/error/code").asText());
    }

    @Test
    void noResultWithinTheDeadlineAndGraceIsA504() {
        FakeEmitter<RequestSubmitted> emitter = FakeEmitter.acking();
        ChatCompletions resource = resource(emitter, Map.of("conclave.gateway.result-grace", "100ms"));

        long started = System.nanoTime();
        Response response = create(resource, BODY).subscribe().withSubscriber(UniAssertSubscriber.create())
                .awaitItem(Duration.ofSeconds(10)).getItem();
        long waitedMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(504, response.getStatus());
        assertTrue(waitedMs >= 1_000, "answered after " + waitedMs + " ms, before the deadline");
        assertEquals(emitter.sent().get(0).getPayload().correlationId(),
                response.getHeaderString(Headers.CORRELATION_ID));
        JsonNode error = ((JsonNode) response.getEntity()).get("error");
        assertEquals("deadline_exceeded", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("deadline"));
        assertEquals("failed", ((JsonNode) response.getEntity()).at("/conclave/status").asText());
        assertEquals(0, replies.size());
        assertEquals(1, registry.get("conclave.requests").tags("status", "timeout").timer().count());
    }

    @Test
    void aFailedSendIsA503AndNothingWaits() {
        ChatCompletions resource = resource(FakeEmitter.failing(new IllegalStateException("broker down")),
                Map.of());

        Response response = create(resource, BODY).subscribe().withSubscriber(UniAssertSubscriber.create())
                .awaitItem().getItem();

        assertEquals(503, response.getStatus());
        assertEquals("not_accepted", ((JsonNode) response.getEntity()).at("/error/code").asText());
        assertNull(response.getHeaderString(Headers.CORRELATION_ID));
        assertEquals(0, replies.size());
    }

    @Test
    void aRequestTooLargeForKafkaIsA413NotARetry() {
        ChatCompletions resource = resource(FakeEmitter.failing(new IllegalStateException("send failed",
                new RecordTooLargeException("The message is 2000000 bytes"))), Map.of());

        Response response = create(resource, BODY).subscribe().withSubscriber(UniAssertSubscriber.create())
                .awaitItem().getItem();

        assertEquals(413, response.getStatus());
        assertEquals("request_too_large", ((JsonNode) response.getEntity()).at("/error/code").asText());
        assertEquals(0, replies.size());
    }

    @Test
    void anInvalidBodyIsRefusedBeforeAnythingIsSent() {
        FakeEmitter<RequestSubmitted> emitter = FakeEmitter.acking();
        ApiException refused = assertThrows(ApiException.class,
                () -> create(resource(emitter, Map.of()), "{\"model\":\"conclave-instant\"}"));
        assertEquals(400, refused.error().status());
        assertEquals(List.of(), emitter.sent());
        assertEquals(0, replies.size());
    }

    private ChatCompletions resource(FakeEmitter<RequestSubmitted> emitter, Map<String, String> config) {
        GatewayConfig gatewayConfig = TestGatewayConfigs.with(config);
        return new ChatCompletions(new ChatRequestParser(new ObjectMapper(), TestGatewayConfigs.with(Map.of())),
                new RequestPublisher(emitter), replies, new ReplyMapper(), gatewayConfig, new Tenants(gatewayConfig),
                new TenantLimits(gatewayConfig), open, new ProgressHub(),
                new Cancellations(FakeEmitter.acking(), FakeEmitter.acking()), registry);
    }

    private static Uni<Response> create(ChatCompletions completions, String body) {
        return completions.complete(completions.accept(body, null));
    }

    private static RequestCompleted completed(String id, RequestStatus status, long llmMs) {
        return new RequestCompleted(id, "e", Instant.now(), 1, "local", "conclave-contemplating", Mode.CONTEMPLATING,
                Strategy.VOTE, status, status == RequestStatus.FAILED ? null : "42",
                status == RequestStatus.FAILED ? "all agents failed" : null, List.of(), null, llmMs, Instant.now());
    }
}
