package io.conclave.simulator;

import static io.conclave.simulator.SimClient.answerOf;
import static io.conclave.simulator.SimClient.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlEndpointTest {

    private LlmSimulator sim;
    private SimClient client;

    @BeforeEach
    void start() {
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(10).tokenMs(0).tokens(8).build());
        client = new SimClient(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void configReadsBackAsSnakeCaseAndAcceptsASubset() {
        JsonNode before = client.getJson("/sim/config");
        assertEquals(10, before.path("ttft_ms").asInt());
        assertEquals(8, before.path("tokens").asInt());
        for (String field : List.of("token_ms", "jitter_ms", "max_concurrency", "disagree_rate", "error_rate_429",
                "error_rate_500", "retry_after_s", "fail_next", "latency_rules")) {
            assertTrue(before.has(field), field);
        }

        HttpResponse<String> update = client.post("/sim/config", "{\"tokens\":5,\"max_concurrency\":3}");
        assertEquals(200, update.statusCode());
        JsonNode after = client.getJson("/sim/config");
        assertEquals(5, after.path("tokens").asInt());
        assertEquals(3, after.path("max_concurrency").asInt());
        assertEquals(10, after.path("ttft_ms").asInt(), "fields not sent keep their value");
        assertEquals(client.json(update), after);

        JsonNode answer = client.json(client.post("/v1/chat/completions", chat(null, "Q", false, "")));
        assertEquals(5, answer.path("usage").path("completion_tokens").asInt(), "new settings apply to the next call");
    }

    @Test
    void invalidConfigIsRejectedAndChangesNothing() {
        JsonNode before = client.getJson("/sim/config");
        for (String bad : List.of("{\"ttft_ms\":-1}", "{\"tokens\":1}", "{\"disagree_rate\":1.5}",
                "{\"error_rate_429\":0.6,\"error_rate_500\":0.6}", "{\"fail_next\":[404]}", "{\"fail_next\":429}",
                "{\"latency_rules\":[{\"match\":\"\",\"extra_ttft_ms\":5}]}", "{\"ttft_ms\":\"slow\"}",
                "{\"ttft_ms\":1.5}", "{\"port\":1234}", "{\"tokens\":4,\"bogus\":1}", "[]", "nope")) {
            HttpResponse<String> response = client.post("/sim/config", bad);
            assertEquals(400, response.statusCode(), bad);
            assertEquals("invalid_request_error", client.json(response).path("error").path("type").asText(), bad);
        }
        assertEquals(before, client.getJson("/sim/config"));
    }

    @Test
    void resetZeroesStatsButKeepsConfig() {
        client.post("/sim/config", "{\"tokens\":6}");
        client.post("/v1/chat/completions", chat(null, "Q", false, ""));
        assertEquals(1, client.getJson("/sim/stats").path("completed").asInt());

        assertEquals(200, client.post("/sim/reset", "").statusCode());
        JsonNode stats = client.getJson("/sim/stats");
        assertEquals(0, stats.path("calls").asInt());
        assertEquals(0, stats.path("completed").asInt());
        assertEquals(0, stats.path("peakConcurrency").asInt());
        assertTrue(stats.path("recent").isEmpty());
        assertEquals(6, client.getJson("/sim/config").path("tokens").asInt());
    }

    @Test
    void statsRecordEachCall() {
        client.post("/v1/chat/completions", chat("You are the judge, weighing all evidence.", "Q", false, ""));
        JsonNode stats = client.getJson("/sim/stats");
        assertEquals(1, stats.path("calls").asInt());
        JsonNode call = stats.path("recent").path(0);
        assertEquals("gpt-sim", call.path("model").asText());
        assertEquals(0.7, call.path("temperature").asDouble());
        assertEquals("You are the judge, weighing all evidence.", call.path("systemPrompt").asText());
        assertEquals("completed", call.path("outcome").asText());
        assertEquals(8, call.path("completionTokens").asInt());
        assertTrue(call.path("startedAtMs").asLong() <= call.path("firstTokenAtMs").asLong());
        assertTrue(call.path("firstTokenAtMs").asLong() <= call.path("endedAtMs").asLong());
        assertTrue(call.path("id").asText().startsWith("chatcmpl-"));
    }

    @Test
    void recentListsOnlyTheLastCallsAskedFor() {
        for (String question : List.of("Q1", "Q2", "Q3")) {
            client.post("/v1/chat/completions", chat("You are agent " + question + ".", question, false, ""));
        }
        assertEquals(3, client.getJson("/sim/stats").path("recent").size());
        JsonNode lastTwo = client.getJson("/sim/stats?recent=2");
        assertEquals(List.of("You are agent Q2.", "You are agent Q3."),
                lastTwo.path("recent").findValuesAsText("systemPrompt"));
        JsonNode none = client.getJson("/sim/stats?recent=0");
        assertTrue(none.path("recent").isEmpty());
        assertEquals(3, none.path("completed").asInt(), "the counters are all there");
        for (String bad : List.of("-1", "1001", "some")) {
            HttpResponse<String> response = client.get("/sim/stats?recent=" + bad);
            assertEquals(400, response.statusCode(), bad);
            assertTrue(client.json(response).path("error").path("message").asText().contains("from 0 to 1000"), bad);
        }
    }

    @Test
    void disagreeRateOneMakesEveryConversationDissent() {
        String request = chat("You are agent B.", "What is the answer?", false, "");
        String agreed = answerOf(content(request));
        client.post("/sim/config", "{\"disagree_rate\":1.0}");
        String dissent = answerOf(content(request));
        assertNotEquals(agreed, dissent);
        assertEquals(dissent, answerOf(content(request)), "dissent is deterministic too");
    }

    @Test
    void modelsListsTheDefaultAndModelsSeen() {
        JsonNode models = client.getJson("/v1/models");
        assertEquals("list", models.path("object").asText());
        assertEquals("sim-model", models.path("data").path(0).path("id").asText());
        assertEquals("model", models.path("data").path(0).path("object").asText());
        assertEquals("conclave-simulator", models.path("data").path(0).path("owned_by").asText());

        client.post("/v1/chat/completions", chat(null, "Q", false, ""));
        assertEquals(List.of("sim-model", "gpt-sim"), client.getJson("/v1/models").path("data").findValuesAsText("id"));
    }

    private String content(String request) {
        return client.json(client.post("/v1/chat/completions", request))
                .path("choices").path(0).path("message").path("content").asText();
    }
}
