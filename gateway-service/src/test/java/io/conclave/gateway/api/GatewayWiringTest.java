package io.conclave.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.AgentReport;
import io.conclave.contracts.AgentStatus;
import io.conclave.contracts.Headers;
import io.conclave.contracts.Mode;
import io.conclave.contracts.ProgressKind;
import io.conclave.contracts.ProgressUpdated;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.TokenUsage;
import io.conclave.gateway.Channels;
import io.conclave.gateway.reply.ResultCache;
import io.conclave.gateway.support.InMemoryChannels;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway's wiring on the in-memory connector: HTTP in, RequestSubmitted out, RequestCompleted back. */
@QuarkusTest
@WithTestResource(InMemoryChannels.class)
class GatewayWiringTest {

    private static final String PATH = "/v1/chat/completions";

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    Config config;

    @Inject
    ResultCache results;

    private InMemorySink<RequestSubmitted> requests;

    @BeforeEach
    void clear() {
        requests = connector.sink(Channels.REQUESTS);
        requests.clear();
    }

    @Test
    void aRequestIsPublishedAndItsResultCompletesTheCall() throws Exception {
        CompletableFuture<ValidatableResponse> call = CompletableFuture.supplyAsync(() -> given()
                .contentType(ContentType.JSON)
                .body("{\"model\":\"conclave-contemplating\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"What is 6 times 7?\"}],\"conclave\":{\"agents\":2}}")
                .post(PATH).then());

        await(() -> requests.received().size() == 1);
        Message<RequestSubmitted> published = requests.received().get(0);
        RequestSubmitted request = published.getPayload();
        String id = request.correlationId();
        assertEquals(id, published.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey());
        assertEquals(Mode.CONTEMPLATING, request.mode());
        assertEquals(2, request.agents());

        RequestCompleted answer = result(id, RequestStatus.COMPLETE);
        connector.<RequestCompleted>source(Channels.RESULTS).send(answer);

        call.get(20, TimeUnit.SECONDS)
                .statusCode(200)
                .header(Headers.CORRELATION_ID, id)
                .header(Headers.OVERHEAD_MS, notNullValue())
                .body("id", equalTo("chatcmpl-" + id))
                .body("object", equalTo("chat.completion"))
                .body("model", equalTo("conclave-contemplating"))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].message.content", equalTo("The agents agree. Answer: 42"))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.total_tokens", equalTo(188))
                .body("conclave.correlation_id", equalTo(id))
                .body("conclave.mode", equalTo("contemplating"))
                .body("conclave.strategy", equalTo("synthesize"))
                .body("conclave.status", equalTo("complete"))
                .body("conclave.agents[0].id", equalTo("a1"))
                .body("conclave.agents[0].latency_ms", equalTo(812))
                .body("conclave.agents[0].usage.prompt_tokens", equalTo(20))
                .body("conclave.agents[0].notes_tokens", equalTo(9))
                .body("conclave.agents[0].reason", nullValue());

        // Kept for a later call, as JSON written and read by Quarkus' mapper: it reads back whole.
        assertEquals(answer, results.get(id).orElseThrow());

        // A repeat of the same result is dropped without effect.
        connector.<RequestCompleted>source(Channels.RESULTS).send(result(id, RequestStatus.FAILED));
    }

    @Test
    void aFailedResultIsA502ErrorWithTheConclaveObject() throws Exception {
        CompletableFuture<ValidatableResponse> call = CompletableFuture.supplyAsync(() -> given()
                .contentType(ContentType.JSON)
                .body("{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post(PATH).then());
        await(() -> requests.received().size() == 1);
        RequestSubmitted request = requests.received().get(0).getPayload();
        assertEquals(Mode.INSTANT, request.mode());
        assertEquals("local", request.tenantId());

        connector.<RequestCompleted>source(Channels.RESULTS).send(result(request.correlationId(), RequestStatus.FAILED));

        call.get(20, TimeUnit.SECONDS)
                .statusCode(502)
                .header(Headers.CORRELATION_ID, request.correlationId())
                .body("error.type", equalTo("upstream_error"))
                .body("error.code", equalTo("agents_failed"))
                .body("error.message", equalTo("every agent failed"))
                .body("conclave.status", equalTo("failed"));
    }

    @Test
    void noResultIsA504AfterTheDeadlineAndGrace() {
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"conclave-thinking\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"conclave\":{\"deadline_ms\":1000}}")
                .post(PATH).then()
                .statusCode(504)
                .header(Headers.CORRELATION_ID, notNullValue())
                .body("error.code", equalTo("deadline_exceeded"))
                .body("conclave.status", equalTo("failed"))
                .body("conclave.mode", equalTo("thinking"));
    }

    @Test
    void malformedJsonIsA400() {
        given().contentType(ContentType.JSON).body("{\"model\": \"conclave-instant\", ").post(PATH).then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_json"))
                .body("error.message", containsString("not valid JSON"));
        assertTrue(requests.received().isEmpty());
    }

    @Test
    void missingMessagesIsA400NamingTheField() {
        given().contentType(ContentType.JSON).body("{\"model\":\"conclave-instant\"}").post(PATH).then()
                .statusCode(400)
                .body("error.code", equalTo("missing_field"))
                .body("error.param", equalTo("messages"))
                .body("error.message", containsString("messages"));
    }

    @Test
    void anEmptyBodyIsA400() {
        given().contentType(ContentType.JSON).post(PATH).then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_json"));
    }

    @Test
    void anUnknownModelIsA404() {
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post(PATH).then()
                .statusCode(404)
                .body("error.code", equalTo("model_not_found"))
                .body("error.param", equalTo("model"));
    }

    @Test
    void aStreamRelaysDeltasFromProgressAndEndsWithTheResult() throws Exception {
        CompletableFuture<String> stream = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                .body("{\"model\":\"conclave-instant\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post(PATH).then().statusCode(200).contentType(containsString("text/event-stream"))
                .extract().asString());
        await(() -> requests.received().size() == 1);
        String id = requests.received().get(0).getPayload().correlationId();
        InMemorySource<ProgressUpdated> progress = connector.source(Channels.PROGRESS);
        progress.send(new ProgressUpdated(id, "p1", Instant.now(), 1, ProgressKind.AGENT_STARTED, id + ".a1", "a1",
                "solver", null, 0));
        progress.send(new ProgressUpdated(id, "p2", Instant.now(), 1, ProgressKind.DELTA, id + ".a1", "a1", "solver",
                "The agents ", 1));
        progress.send(new ProgressUpdated(id, "p2", Instant.now(), 1, ProgressKind.DELTA, id + ".a1", "a1", "solver",
                "The agents ", 1));
        connector.<RequestCompleted>source(Channels.RESULTS).send(result(id, RequestStatus.COMPLETE));

        String body = stream.get(15, TimeUnit.SECONDS);
        assertTrue(body.contains(": conclave {\"kind\":\"agent_started\""), body);
        assertEquals(1, body.split("\"content\":\"The agents \"", -1).length - 1, "a repeated batch is dropped: " + body);
        assertTrue(body.contains("\"content\":\"agree. Answer: 42\""), "the result supplies the rest: " + body);
        assertTrue(body.contains("\"finish_reason\":\"stop\""), body);
        assertTrue(body.contains("\"usage\":{\"prompt_tokens\":60"), body);
        assertTrue(body.endsWith("data: [DONE]\n\n"), body);
    }

    @Test
    void jaxRsErrorsHaveTheSameShape() {
        given().get("/v1/nowhere").then().statusCode(404).body("error.code", equalTo("not_found"))
                .body("error.type", equalTo("invalid_request_error"));
        given().get(PATH).then().statusCode(405).body("error.code", equalTo("method_not_allowed"));
        given().contentType(ContentType.TEXT).body("{}").post(PATH).then().statusCode(415)
                .body("error.code", equalTo("unsupported_media_type"));
    }

    @Test
    void aBodyOverTheLimitIsA413WithAnErrorBody() {
        String big = "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(17 * 1024 * 1024) + "\"}]}";
        given().contentType(ContentType.JSON).body(big).post(PATH).then()
                .statusCode(413)
                .body("error.code", equalTo("request_too_large"));
    }

    @Test
    void theModelsAreListed() {
        given().get("/v1/models").then()
                .statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", hasItems("conclave-instant", "conclave-thinking", "conclave-contemplating"))
                .body("data.size()", equalTo(3));
    }

    @Test
    void healthAndMetricsAreServed() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("conclave_requests_pending"));
    }

    @Test
    void quarkusGeneratedTheResultDeserializer() {
        String deserializer = config.getValue("mp.messaging.incoming.results.value.deserializer", String.class);
        assertTrue(deserializer.contains("RequestCompleted"), deserializer);
    }

    private static RequestCompleted result(String id, RequestStatus status) {
        boolean failed = status == RequestStatus.FAILED;
        List<AgentReport> agents = List.of(
                new AgentReport("a1", "solver", "sim-model", AgentStatus.COMPLETE, 812L, new TokenUsage(20, 64, 84),
                        64L, 9L, "42", null),
                new AgentReport("a2", "skeptic", "sim-model", AgentStatus.FAILED, null, null, null, null, null,
                        "upstream 500"));
        return new RequestCompleted(id, "e", Instant.now(), 1, "local", "conclave-contemplating", Mode.CONTEMPLATING,
                Strategy.SYNTHESIZE, status, failed ? null : "The agents agree. Answer: 42",
                failed ? "every agent failed" : null, agents, new TokenUsage(60, 128, 188), 1500, Instant.now());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(5);
        }
    }
}
