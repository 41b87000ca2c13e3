package io.conclave.simulator;

import static io.conclave.simulator.SimClient.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

    private LlmSimulator sim;

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void failNextReturnsTheQueuedStatusesInOrderThenRecovers() {
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(10).tokenMs(0).tokens(4)
                .retryAfterS(3).failNext(List.of(429, 500)).build());
        SimClient client = new SimClient(sim);
        String request = chat("You are agent A.", "Pick a number.", false, "");

        HttpResponse<String> first = client.post("/v1/chat/completions", request);
        assertEquals(429, first.statusCode());
        assertEquals("3", first.headers().firstValue("Retry-After").orElse(null));
        assertEquals("rate_limit_error", client.json(first).path("error").path("type").asText());

        HttpResponse<String> second = client.post("/v1/chat/completions", request);
        assertEquals(500, second.statusCode());
        assertEquals("server_error", client.json(second).path("error").path("type").asText());
        assertTrue(second.headers().firstValue("Retry-After").isEmpty());

        assertEquals(200, client.post("/v1/chat/completions", request).statusCode());

        JsonNode stats = client.getJson("/sim/stats");
        assertEquals(3, stats.path("calls").asInt());
        assertEquals(1, stats.path("errors429").asInt());
        assertEquals(1, stats.path("errors500").asInt());
        assertEquals(1, stats.path("completed").asInt());
        List<String> outcomes = stats.path("recent").findValuesAsText("outcome");
        assertEquals(List.of("error429", "error500", "completed"), outcomes);
        assertEquals("You are agent A.", stats.path("recent").path(0).path("systemPrompt").asText());
    }

    @Test
    void failNextCanBeQueuedAtRuntime() {
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(10).tokenMs(0).tokens(4).build());
        SimClient client = new SimClient(sim);
        assertEquals(200, client.post("/sim/config", "{\"fail_next\":[500]}").statusCode());
        assertEquals(List.of(500), client.mapper.convertValue(client.getJson("/sim/config").path("fail_next"), List.class));

        assertEquals(500, client.post("/v1/chat/completions", chat(null, "Q", false, "")).statusCode());
        assertTrue(client.getJson("/sim/config").path("fail_next").isEmpty(), "consumed");
        assertEquals(200, client.post("/v1/chat/completions", chat(null, "Q", false, "")).statusCode());
    }

    @Test
    void errorRatesInjectRandomFailures() {
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(5).tokenMs(0).tokens(4)
                .errorRate429(1.0).build());
        SimClient client = new SimClient(sim);
        for (int i = 0; i < 5; i++) {
            assertEquals(429, client.post("/v1/chat/completions", chat(null, "Q" + i, false, "")).statusCode());
        }
        client.post("/sim/config", "{\"error_rate_429\":0.0,\"error_rate_500\":0.5}");
        int failures = 0;
        for (int i = 0; i < 40; i++) {
            int status = client.post("/v1/chat/completions", chat(null, "Q" + i, false, "")).statusCode();
            assertTrue(status == 200 || status == 500, "status " + status);
            failures += status == 500 ? 1 : 0;
        }
        assertNotEquals(0, failures, "about half fail");
        assertNotEquals(40, failures, "about half succeed");
        assertEquals(failures, client.getJson("/sim/stats").path("errors500").asInt());
    }
}
