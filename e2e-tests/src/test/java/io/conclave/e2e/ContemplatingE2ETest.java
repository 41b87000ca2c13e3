package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Issue 4 across real processes and the simulator: a vote that stops early at its quorum and cancels its
 * stragglers (they never complete at the simulator), a vote among disagreeing agents that runs every agent and
 * goes to the majority, and decompose with its sub-questions and its reported fallback; its planning call holds up
 * no other request.
 */
class ContemplatingE2ETest extends SharedMeshTest {

    /** The last three roles of the planner's library (agents a6..a8 of an 8-agent plan). */
    static final List<String> SLOW_ROLES = List.of("You are the devil's advocate.", "You reason by analogy.",
            "You are the pragmatist.");

    ContemplatingE2ETest(Mesh mesh) {
        super(mesh);
    }

    @Test
    void agreeingAgentsStopAVoteEarlyAndTheStragglersAreCancelled() throws Exception {
        StringBuilder rules = new StringBuilder();
        for (String role : SLOW_ROLES) {
            rules.append(rules.isEmpty() ? "" : ", ").append("{\"match\": \"").append(role)
                    .append("\", \"extra_ttft_ms\": 8000}");
        }
        simulator.configure("{\"jitter_ms\": 150, \"latency_rules\": [" + rules + "]}");

        JsonHttp.Reply reply = ask("What is 17 times 23?", "vote", 8, 30_000);

        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode conclave = reply.body().path("conclave");
        assertEquals("complete", conclave.path("status").asText(), conclave.toString());
        assertEquals("vote", conclave.path("strategy").asText());
        assertEquals(3, conclave.path("calls_saved").asInt(), conclave.toString());
        Map<String, Integer> statuses = statuses(conclave);
        assertEquals(5, statuses.getOrDefault("complete", 0), conclave.toString());
        assertEquals(3, statuses.getOrDefault("cancelled", 0), conclave.toString());
        assertTrue(reply.millis() < 8000, "answered before the stragglers could: " + reply.millis() + " ms");
        String answer = reply.body().at("/choices/0/message/content").asText();
        for (JsonNode agent : conclave.path("agents")) {
            if (agent.path("status").asText().equals("complete")) {
                assertEquals(answer, agent.path("answer").asText(), "all agents agreed: " + conclave);
            }
        }

        JsonNode stats = awaitStats(s -> s.path("cancelled").asLong() >= 3);
        assertTrue(stats.path("completed").asLong() < 8, "fewer than 8 completed agent calls: " + stats);
        assertEquals(5, stats.path("completed").asLong(), stats.toString());
        assertEquals(3, stats.path("cancelled").asLong(), "the stragglers' connections were closed: " + stats);
    }

    @Test
    void disagreeingAgentsAllRunAndTheMajorityWins() throws Exception {
        simulator.configure("{\"disagree_rate\": 0.7, \"jitter_ms\": 100}");

        JsonHttp.Reply reply = ask("How many moons does the fourth planet have, times seven?", "vote", 8, 30_000);

        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode conclave = reply.body().path("conclave");
        assertEquals(0, conclave.path("calls_saved").asInt(), "no quorum, no early stop: " + conclave);
        assertEquals(8, statuses(conclave).getOrDefault("complete", 0), conclave.toString());
        Map<String, Integer> votes = new LinkedHashMap<>(); // plan order: a1 first
        for (JsonNode agent : conclave.path("agents")) {
            votes.merge(agent.path("answer").asText(), 1, Integer::sum);
        }
        assertTrue(votes.size() > 1, "the agents disagreed: " + votes);
        String winner = null;
        for (Map.Entry<String, Integer> vote : votes.entrySet()) {
            if (winner == null || vote.getValue() > votes.get(winner)) {
                winner = vote.getKey(); // ties stay with the earlier first supporter
            }
        }
        assertTrue(votes.get(winner) < 5, "below the quorum of 5: " + votes);
        assertEquals(winner, reply.body().at("/choices/0/message/content").asText(), votes.toString());
        JsonNode stats = simulator.stats();
        assertEquals(8, stats.path("completed").asLong(), "every agent ran: " + stats);
        assertEquals(0, stats.path("cancelled").asLong(), stats.toString());
    }

    @Test
    void decomposeAnswersTheSubQuestionsInParallelAndShowsThem() throws Exception {
        JsonHttp.Reply reply = ask("Plan a three-day trip to Rome on a budget.", "decompose", 4, 30_000);

        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode conclave = reply.body().path("conclave");
        assertEquals("decompose", conclave.path("strategy").asText(), conclave.toString());
        JsonNode questions = conclave.path("sub_questions");
        assertEquals(3, questions.size(), conclave.toString());
        assertTrue(questions.get(0).asText().contains("trip to Rome"), questions.toString());
        List<String> roles = new ArrayList<>();
        conclave.path("agents").forEach(agent -> roles.add(agent.path("id").asText() + ":"
                + agent.path("role").asText() + ":" + agent.path("status").asText()));
        assertEquals(List.of("a1:sub-question:complete", "a2:sub-question:complete", "a3:sub-question:complete",
                "synthesis:composer:complete", "planner:planner:complete"), roles);
        assertFalse(conclave.has("note"), "no fallback: " + conclave);
        JsonNode planner = conclave.path("agents").get(4);
        assertTrue(planner.path("usage").path("total_tokens").asLong() > 0, planner.toString());
        long agentTokens = 0;
        for (JsonNode agent : conclave.path("agents")) {
            agentTokens += agent.path("usage").path("total_tokens").asLong();
        }
        assertEquals(agentTokens, reply.body().at("/usage/total_tokens").asLong(),
                "usage counts every call: agents, synthesis and planning");

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(conclave.path("agents").get(i).path("answer").asText());
        }
        assertEquals(3, answers.stream().distinct().count(), "each agent answered its own sub-question: " + answers);
        long planning = simulator.calls().stream()
                .filter(call -> call.path("systemPrompt").asText().startsWith("[conclave:decompose]")).count();
        assertEquals(1, planning);
    }

    @Test
    void anInvalidPlanIsRetriedOnceThenFallsBackToParallelRolesAndSaysSo() throws Exception {
        JsonHttp.Reply reply = ask("Compare two sorting algorithms [sim:bad-plan]", "decompose", 3, 30_000);

        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode conclave = reply.body().path("conclave");
        assertEquals("synthesize", conclave.path("strategy").asText(), conclave.toString());
        assertTrue(conclave.path("note").asText().contains("rejected twice"), conclave.toString());
        assertFalse(conclave.has("sub_questions"), conclave.toString());
        JsonNode planner = conclave.path("agents").get(conclave.path("agents").size() - 1);
        assertEquals("planner", planner.path("id").asText());
        assertEquals("failed", planner.path("status").asText(), "the fallback is a reported failure: " + planner);
        assertEquals(List.of("solver", "skeptic", "alternative"), List.of(conclave.path("agents").get(0).path("role")
                .asText(), conclave.path("agents").get(1).path("role").asText(),
                conclave.path("agents").get(2).path("role").asText()));
        long planning = simulator.calls().stream()
                .filter(call -> call.path("systemPrompt").asText().startsWith("[conclave:decompose]")).count();
        assertEquals(2, planning, "one call and one retry");
    }

    @Test
    void aSlowPlanningCallHoldsUpNoOtherRequest() throws Exception {
        simulator.configure("{\"latency_rules\": [{\"match\": \"[conclave:decompose]\", \"extra_ttft_ms\": 5000}]}");
        CompletableFuture<JsonHttp.Reply> decomposed = JsonHttp.postAsync(mesh.gatewayUrl() + "/v1/chat/completions",
                """
                {"model": "conclave-contemplating", "messages": [{"role": "user", "content": "Plan a garden."}],
                 "conclave": {"agents": 3, "strategy": "decompose", "deadline_ms": 30000}}""");
        assertEquals(1, awaitStats(stats -> stats.path("inFlight").asInt() == 1).path("inFlight").asInt(),
                "the planning call has started");

        JsonHttp.Reply instant = JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions", """
                {"model": "conclave-instant", "messages": [{"role": "user", "content": "Is 97 prime?"}]}""");

        assertEquals(200, instant.status(), instant.body().toString());
        List<JsonNode> finished = simulator.calls();
        assertEquals(1, finished.size(), "only the instant request's call has finished: " + finished);
        assertFalse(finished.get(0).path("systemPrompt").asText().startsWith("[conclave:decompose]"),
                "the instant request was answered while the planning call was still running: " + finished);
        JsonHttp.Reply reply = JsonHttp.join(decomposed);
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals("decompose", reply.body().at("/conclave/strategy").asText(), reply.body().toString());
    }

    @Test
    void namedAgentsUseTheirRolesAndModels() throws Exception {
        JsonHttp.Reply reply = JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions", """
                {"model": "conclave-contemplating", "messages": [{"role": "user", "content": "Is 91 prime?"}],
                 "conclave": {"agents": [{"role": "verifier", "model": "sim-large"}, {"role": "skeptic"}],
                              "strategy": "vote"}}""");

        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode agents = reply.body().at("/conclave/agents");
        assertEquals("verifier", agents.get(0).path("role").asText());
        assertEquals("sim-large", agents.get(0).path("model").asText());
        assertEquals("skeptic", agents.get(1).path("role").asText());
        assertTrue(simulator.calls().stream().anyMatch(call -> call.path("model").asText().equals("sim-large")));
    }

    private JsonHttp.Reply ask(String question, String strategy, int agents, long deadlineMs) throws Exception {
        return JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions", """
                {"model": "conclave-contemplating", "messages": [{"role": "user", "content": "%s"}],
                 "conclave": {"agents": %d, "strategy": "%s", "deadline_ms": %d}}"""
                .formatted(question, agents, strategy, deadlineMs));
    }

    private static Map<String, Integer> statuses(JsonNode conclave) {
        Map<String, Integer> statuses = new LinkedHashMap<>();
        conclave.path("agents").forEach(agent -> statuses.merge(agent.path("status").asText(), 1, Integer::sum));
        return statuses;
    }

    private JsonNode awaitStats(java.util.function.Predicate<JsonNode> done) throws Exception {
        long until = System.currentTimeMillis() + 5000;
        JsonNode stats = simulator.stats();
        while (!done.test(stats) && System.currentTimeMillis() < until) {
            Thread.sleep(100);
            stats = simulator.stats();
        }
        assertNotNull(stats);
        return stats;
    }
}
