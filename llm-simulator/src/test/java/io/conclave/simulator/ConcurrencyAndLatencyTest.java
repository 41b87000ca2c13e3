package io.conclave.simulator;

import static io.conclave.simulator.SimClient.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrencyAndLatencyTest {

    private LlmSimulator sim;

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void callsBeyondMaxConcurrencyQueueInsteadOfFailing() {
        long ttft = 150;
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(ttft).tokenMs(0).tokens(4)
                .maxConcurrency(2).build());
        SimClient client = new SimClient(sim);

        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 6)
                .mapToObj(i -> client.postAsync("/v1/chat/completions", chat(null, "Q" + i, false, "")))
                .toList();
        calls.forEach(call -> assertEquals(200, call.join().statusCode()));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertTrue(elapsedMs >= 3 * ttft, "6 calls through 2 slots take 3 rounds, took " + elapsedMs + " ms");
        JsonNode stats = client.getJson("/sim/stats");
        assertEquals(2, stats.path("peakConcurrency").asInt());
        assertTrue(stats.path("peakQueued").asInt() >= 1, stats.toString());
        assertEquals(6, stats.path("completed").asInt());
        assertEquals(0, stats.path("inFlight").asInt());
        long slowest = 0;
        for (JsonNode call : stats.path("recent")) {
            slowest = Math.max(slowest, call.path("firstTokenAtMs").asLong() - call.path("startedAtMs").asLong());
        }
        assertTrue(slowest >= 2 * ttft, "the last round waited two rounds in the queue: " + slowest + " ms");
    }

    @Test
    void unlimitedConcurrencyServesCallsTogether() {
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(400).tokenMs(0).tokens(4).build());
        SimClient client = new SimClient(sim);
        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 3)
                .mapToObj(i -> client.postAsync("/v1/chat/completions", chat(null, "Q" + i, false, "")))
                .toList();
        calls.forEach(call -> assertEquals(200, call.join().statusCode()));
        JsonNode stats = client.getJson("/sim/stats");
        assertTrue(stats.path("peakConcurrency").asInt() >= 2, stats.toString());
        assertEquals(0, stats.path("peakQueued").asInt());
    }

    @Test
    void latencyRuleSlowsOnlyTheMatchingAgent() {
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(20).tokenMs(0).tokens(4)
                .latencyRules(List.of(new LatencyRule("You are the slow agent", 1000))).build());
        SimClient client = new SimClient(sim);

        assertEquals(200, client.post("/v1/chat/completions", chat("You are the slow agent.", "Q", false, "")).statusCode());
        assertEquals(200, client.post("/v1/chat/completions", chat("You are the fast agent.", "Q", false, "")).statusCode());

        JsonNode recent = client.getJson("/sim/stats").path("recent");
        assertEquals("You are the slow agent.", recent.path(0).path("systemPrompt").asText());
        assertTrue(ttft(recent.path(0)) >= 1020, "slow agent: " + ttft(recent.path(0)) + " ms");
        assertTrue(ttft(recent.path(1)) < 1000, "fast agent: " + ttft(recent.path(1)) + " ms");
    }

    @Test
    void latencyRulesCanBeSetAtRuntime() {
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(10).tokenMs(0).tokens(4).build());
        SimClient client = new SimClient(sim);
        assertEquals(200, client.post("/sim/config",
                "{\"latency_rules\":[{\"match\":\"ponder\",\"extra_ttft_ms\":300}]}").statusCode());

        long start = System.nanoTime();
        client.post("/v1/chat/completions", chat(null, "Please ponder this.", false, ""));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs >= 310, "took " + elapsedMs + " ms");
    }

    private static long ttft(JsonNode call) {
        return call.path("firstTokenAtMs").asLong() - call.path("startedAtMs").asLong();
    }
}
