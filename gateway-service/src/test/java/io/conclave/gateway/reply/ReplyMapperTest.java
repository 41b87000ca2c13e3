package io.conclave.gateway.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.AgentReport;
import io.conclave.contracts.AgentStatus;
import io.conclave.contracts.CompressionTotals;
import io.conclave.contracts.Mode;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Results mapped to OpenAI replies and errors, with the {@code conclave} object. */
class ReplyMapperTest {

    private static final Instant CREATED = Instant.parse("2026-11-22T10:00:00.600Z");

    private final ReplyMapper mapper = new ReplyMapper();

    @Test
    void aCompleteResultIsAChatCompletionWithTheConclaveObject() throws Exception {
        Reply reply = mapper.map(result(RequestStatus.COMPLETE, "Answer: 42", null), "conclave-contemplating", CREATED);

        assertEquals(200, reply.status());
        ObjectMapper json = new ObjectMapper();
        JsonNode expected = json.readTree("""
                {"id":"chatcmpl-c-1","object":"chat.completion","created":1795341600,"model":"conclave-contemplating",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Answer: 42"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":60,"completion_tokens":128,"total_tokens":188},
                 "conclave":{"correlation_id":"c-1","mode":"contemplating","strategy":"synthesize","status":"complete",
                   "agents":[
                     {"id":"a1","role":"solver","model":"sim-model","status":"complete","latency_ms":812,
                      "usage":{"prompt_tokens":20,"completion_tokens":64,"total_tokens":84},
                      "notes_tokens":9,"output_tokens":64,"answer":"42"},
                     {"id":"a2","role":"skeptic","model":"sim-model","status":"late","reason":"missed the agents' deadline"}
                   ]}}""");
        // Re-read, so numbers compare by value rather than by node class.
        assertEquals(expected, json.readTree(reply.body().toString()));
    }

    @Test
    void strategyDetailsAreInTheConclaveObject() {
        RequestCompleted result = new RequestCompleted("c-4", "e", CREATED, 1, "local", "conclave-contemplating",
                Mode.CONTEMPLATING, Strategy.DECOMPOSE, RequestStatus.COMPLETE, "done", null, List.of(), null, 0,
                CREATED, 3, List.of("q1?", "q2?"), "fell back", new CompressionTotals(100, 30));
        JsonNode conclave = mapper.map(result, "conclave-contemplating", CREATED).body().get("conclave");
        assertEquals(3, conclave.get("calls_saved").asInt());
        assertEquals("q2?", conclave.get("sub_questions").get(1).asText());
        assertEquals("fell back", conclave.get("note").asText());
        assertEquals(70, conclave.get("compression").get("saved_tokens").asInt());
        assertEquals(100, conclave.get("compression").get("output_tokens").asInt());
    }

    @Test
    void aPartialResultIsStillAnAnswer() {
        Reply reply = mapper.map(result(RequestStatus.PARTIAL, "Answer: 42", null), "conclave-contemplating", CREATED);
        assertEquals(200, reply.status());
        assertEquals("partial", reply.body().at("/conclave/status").asText());
        assertEquals("Answer: 42", reply.body().at("/choices/0/message/content").asText());
    }

    @Test
    void aFailedResultIsA502WithTheReasonAndTheAgents() {
        Reply reply = mapper.map(result(RequestStatus.FAILED, null, "every agent failed: upstream 500"),
                "conclave-contemplating", CREATED);

        assertEquals(502, reply.status());
        JsonNode error = reply.body().get("error");
        assertEquals("every agent failed: upstream 500", error.get("message").asText());
        assertEquals("upstream_error", error.get("type").asText());
        assertEquals("agents_failed", error.get("code").asText());
        assertTrue(error.get("param").isNull());
        assertEquals("failed", reply.body().at("/conclave/status").asText());
        assertEquals(2, reply.body().at("/conclave/agents").size());
        assertFalse(reply.body().has("choices"));
    }

    @Test
    void aFailedResultWithoutReasonStillSaysWhat() {
        Reply reply = mapper.map(result(RequestStatus.FAILED, null, null), "conclave-instant", CREATED);
        assertEquals("no agent produced a usable answer", reply.body().at("/error/message").asText());
    }

    @Test
    void aCancelledResultIsAConflict() {
        Reply reply = mapper.map(result(RequestStatus.CANCELLED, null, "cancelled by the client"),
                "conclave-contemplating", CREATED);
        assertEquals(409, reply.status());
        assertEquals("cancelled", reply.body().at("/error/code").asText());
        assertEquals("cancelled", reply.body().at("/conclave/status").asText());
    }

    @Test
    void missingPartsAreLeftOutOrZero() {
        RequestCompleted bare = new RequestCompleted("c-2", "e", Instant.EPOCH, 1, "local", "conclave-instant",
                Mode.INSTANT, null, RequestStatus.COMPLETE, null, null, null, null, 0, Instant.EPOCH);
        JsonNode body = mapper.map(bare, "conclave-instant", CREATED).body();

        assertEquals("", body.at("/choices/0/message/content").asText());
        assertEquals(0, body.at("/usage/total_tokens").asLong());
        assertFalse(body.get("conclave").has("strategy"));
        assertEquals(0, body.at("/conclave/agents").size());
        AgentReport empty = new AgentReport("a1", null, null, AgentStatus.FAILED, null, null, null, null, null, null);
        RequestCompleted withEmptyAgent = new RequestCompleted("c-2", "e", Instant.EPOCH, 1, "local",
                "conclave-instant", Mode.INSTANT, Strategy.SINGLE, RequestStatus.COMPLETE, "x", null, List.of(empty),
                null, 0, Instant.EPOCH);
        JsonNode agent = mapper.map(withEmptyAgent, "conclave-instant", CREATED).body().at("/conclave/agents/0");
        assertEquals("{\"id\":\"a1\",\"status\":\"failed\"}", agent.toString());
    }

    @Test
    void enumNamesInTheReplyAreTheirWireNames() {
        ObjectMapper json = new ObjectMapper();
        Stream.of(Mode.values(), Strategy.values(), RequestStatus.values(), AgentStatus.values())
                .flatMap(Stream::of)
                .forEach(value -> assertEquals(json.valueToTree(value).asText(),
                        value.name().toLowerCase(Locale.ROOT), value.toString()));
    }

    private static RequestCompleted result(RequestStatus status, String content, String error) {
        List<AgentReport> agents = List.of(
                new AgentReport("a1", "solver", "sim-model", AgentStatus.COMPLETE, 812L, new TokenUsage(20, 64, 84),
                        64L, 9L, "42", null),
                new AgentReport("a2", "skeptic", "sim-model", AgentStatus.LATE, null, null, null, null, null,
                        "missed the agents' deadline"));
        return new RequestCompleted("c-1", "e-6", Instant.parse("2026-11-22T10:00:21Z"), 1, "local",
                "conclave-contemplating", Mode.CONTEMPLATING, Strategy.SYNTHESIZE, status, content, error, agents,
                new TokenUsage(60, 128, 188), 1500, Instant.parse("2026-11-22T10:00:00Z"));
    }
}
