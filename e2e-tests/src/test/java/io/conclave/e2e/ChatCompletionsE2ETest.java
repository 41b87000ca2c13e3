package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.contracts.Headers;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The first path through all four services: instant and contemplating answers over a real broker. */
class ChatCompletionsE2ETest extends SharedMeshTest {

    ChatCompletionsE2ETest(Mesh mesh) {
        super(mesh);
    }

    @Test
    void instantRequestIsAnsweredByOneAgent() throws Exception {
        JsonHttp.Reply reply = ask("conclave-instant", "What is the capital of France?", "");

        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode body = reply.body();
        assertEquals("chat.completion", body.path("object").asText());
        assertEquals("conclave-instant", body.path("model").asText());
        String content = body.at("/choices/0/message/content").asText();
        assertTrue(content.contains("Answer:"), content);
        assertEquals("stop", body.at("/choices/0/finish_reason").asText());
        assertTrue(body.at("/usage/total_tokens").asLong() > 0, body.toString());

        JsonNode conclave = body.path("conclave");
        assertEquals("instant", conclave.path("mode").asText());
        assertEquals("complete", conclave.path("status").asText());
        assertEquals(1, conclave.path("agents").size());
        String correlationId = reply.header(Headers.CORRELATION_ID);
        assertEquals(correlationId, conclave.path("correlation_id").asText());
        assertNotNull(reply.header(Headers.OVERHEAD_MS));
        assertEquals(1, simulator.calls().size(), "an instant request makes exactly one LLM call");
    }

    @Test
    void contemplatingRequestRunsFourDistinctAgentsInParallelThenOneSynthesis() throws Exception {
        simulator.reset("{\"ttft_ms\": 500}");

        JsonHttp.Reply reply = ask("conclave-contemplating", "Is 1009 a prime number?", "");

        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode conclave = reply.body().path("conclave");
        assertEquals("contemplating", conclave.path("mode").asText());
        assertEquals("synthesize", conclave.path("strategy").asText());
        assertEquals("complete", conclave.path("status").asText());
        Set<String> roles = new HashSet<>();
        for (JsonNode agent : conclave.path("agents")) {
            roles.add(agent.path("role").asText());
        }
        assertTrue(roles.size() >= 4, "four distinct agent roles plus the synthesis: " + conclave);
        String content = reply.body().at("/choices/0/message/content").asText();
        String agreed = conclave.at("/agents/0/answer").asText();
        assertTrue(content.strip().endsWith("Answer: " + agreed),
                "the synthesis carries the agents' agreed answer " + agreed + ": " + content);

        List<JsonNode> calls = simulator.calls();
        assertEquals(5, calls.size(), "4 agent calls and 1 synthesis call: " + calls);
        List<JsonNode> agentCalls = calls.subList(0, 4);
        Set<String> prompts = new HashSet<>();
        long latestStart = 0;
        long earliestEnd = Long.MAX_VALUE;
        long firstStart = Long.MAX_VALUE;
        long lastEnd = 0;
        for (JsonNode call : agentCalls) {
            prompts.add(call.path("systemPrompt").asText());
            latestStart = Math.max(latestStart, call.path("startedAtMs").asLong());
            earliestEnd = Math.min(earliestEnd, call.path("endedAtMs").asLong());
            firstStart = Math.min(firstStart, call.path("startedAtMs").asLong());
            lastEnd = Math.max(lastEnd, call.path("endedAtMs").asLong());
        }
        assertEquals(4, prompts.size(), "each agent has its own system prompt");
        assertTrue(latestStart < earliestEnd, "all four agent calls were in flight at the same time");
        long oneCall = agentCalls.get(0).path("endedAtMs").asLong() - agentCalls.get(0).path("startedAtMs").asLong();
        long agentsWall = lastEnd - firstStart;
        assertTrue(agentsWall < oneCall * 1.5,
                "four agents took " + agentsWall + " ms, one call takes " + oneCall + " ms");
        assertTrue(calls.get(4).path("startedAtMs").asLong() >= lastEnd, "synthesis starts after the agents");
        System.out.printf("e2e: contemplating (4 agents, ttft 500 ms) answered in %d ms, one call %d ms, "
                + "overhead header %s ms%n", reply.millis(), oneCall, reply.header(Headers.OVERHEAD_MS));
    }

    @Test
    void malformedJsonGetsAnOpenAiStyle400() throws Exception {
        JsonHttp.Reply reply = JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions", "{\"model\": ");

        assertEquals(400, reply.status(), reply.body().toString());
        JsonNode error = reply.body().path("error");
        assertEquals("invalid_request_error", error.path("type").asText());
        assertTrue(!error.path("message").asText().isBlank());
    }

    @Test
    void missingMessagesGetsA400NamingTheField() throws Exception {
        JsonHttp.Reply reply = JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions",
                "{\"model\": \"conclave-instant\"}");

        assertEquals(400, reply.status(), reply.body().toString());
        JsonNode error = reply.body().path("error");
        assertEquals("invalid_request_error", error.path("type").asText());
        assertTrue(error.path("message").asText().contains("messages"), error.toString());
    }

    private JsonHttp.Reply ask(String model, String question, String conclaveOptions) throws Exception {
        String options = conclaveOptions.isEmpty() ? "" : ", \"conclave\": " + conclaveOptions;
        return JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions", """
                {"model": "%s", "messages": [{"role": "user", "content": "%s"}]%s}"""
                .formatted(model, question, options));
    }
}
