package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Agents on different named providers (issue 4, heterogeneous agents), the minimum number of successful agents
 * (issue 4, partial failure), and a provider's circuit breaker (issue 5, resilience), on one mesh whose workers
 * know three providers: {@code default} (the mesh's simulator), {@code second} (a simulator process of its own)
 * and {@code broken} (a port nobody listens on). The planner needs 3 of 4 agents to answer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProvidersE2ETest {

    private static final int MIN_SUCCESSFUL = 3;
    private static final int BREAKER_VOLUME = 4;
    private static final int BREAKER_DELAY_S = 3;
    private static final int MAX_RETRIES = 2;
    /** How the planner's role library starts each role's system prompt, to tell the simulator's calls apart. */
    private static final Map<String, String> ROLE_PROMPTS = Map.of("solver", "You are the solver.",
            "skeptic", "You are the skeptic.", "alternative", "You take an alternative approach.",
            "verifier", "You are the verifier.");
    private static final String SYNTHESIS_PROMPT = "You are given the answers and notes of several agents";

    private static Mesh mesh;
    private static Simulator primary;
    private static Simulator second;

    @BeforeAll
    static void start() throws Exception {
        mesh = Mesh.start(Mesh.Options.defaults()
                .withProvider("second", Mesh.Options.SIMULATED)
                .withProvider("broken", "http://127.0.0.1:" + closedPort() + "/v1")
                .withServiceEnv("planner-service",
                        Map.of("CONCLAVE_PLANNER_CONTEMPLATING_MIN_SUCCESSFUL", String.valueOf(MIN_SUCCESSFUL)))
                .withServiceEnv(Mesh.WORKER, Map.of(
                        "CONCLAVE_LLM_CIRCUIT_BREAKER_REQUEST_VOLUME", String.valueOf(BREAKER_VOLUME),
                        "CONCLAVE_LLM_CIRCUIT_BREAKER_FAILURE_RATIO", "0.5",
                        "CONCLAVE_LLM_CIRCUIT_BREAKER_DELAY", BREAKER_DELAY_S + "s",
                        "CONCLAVE_LLM_RETRY_MAX_RETRIES", String.valueOf(MAX_RETRIES),
                        "CONCLAVE_LLM_RETRY_INITIAL_BACKOFF", "200ms")));
        primary = new Simulator(mesh);
        second = new Simulator(mesh.simulatorUrl("second"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    @Order(1)
    void eachAgentCallsTheProviderAndModelItNames() throws Exception {
        primary.reset(null);
        second.reset(null);

        JsonHttp.Reply reply = ask("Name a prime above 300.", """
                [{"role": "solver"}, {"role": "skeptic", "provider": "second", "model": "vision-large"},
                 {"role": "alternative", "provider": "second"}, {"role": "verifier", "model": "sim-other"}]""");

        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode conclave = reply.body().path("conclave");
        assertEquals("complete", conclave.path("status").asText(), conclave.toString());
        assertEquals("second", agent(conclave, "skeptic").path("provider").asText(), conclave.toString());
        assertEquals("vision-large", agent(conclave, "skeptic").path("model").asText(), conclave.toString());
        assertEquals("default", agent(conclave, "verifier").path("provider").asText(), conclave.toString());

        List<String> secondCalls = callsByRole(second);
        assertEquals(List.of("alternative @ second-model", "skeptic @ vision-large"), sorted(secondCalls),
                "the second provider served exactly the two agents that named it");
        List<String> primaryCalls = sorted(callsByRole(primary));
        assertTrue(primaryCalls.contains("solver @ sim-model"), primaryCalls.toString());
        assertTrue(primaryCalls.contains("verifier @ sim-other"), primaryCalls.toString());
        assertTrue(primaryCalls.stream().noneMatch(call -> call.startsWith("skeptic") || call.startsWith("alternative")),
                "agents on the second provider never reached the default one: " + primaryCalls);
    }

    @Test
    @Order(2)
    void fewerSuccessfulAgentsThanTheMinimumFailWithEveryReason() throws Exception {
        primary.reset(null);

        JsonHttp.Reply reply = ask("Name a prime above 400.", """
                [{"role": "solver"}, {"role": "skeptic", "provider": "broken"},
                 {"role": "alternative", "provider": "broken"}, {"role": "verifier"}]""");

        assertEquals(502, reply.status(), reply.body().toString());
        JsonNode conclave = reply.body().path("conclave");
        assertEquals("failed", conclave.path("status").asText(), conclave.toString());
        String message = reply.body().at("/error/message").asText();
        assertTrue(message.contains("(skeptic): provider broken") && message.contains("(alternative): provider broken"),
                "names the failed agents and why: " + message);
        for (String role : List.of("skeptic", "alternative")) {
            JsonNode failed = agent(conclave, role);
            assertEquals("failed", failed.path("status").asText(), failed.toString());
            assertTrue(failed.path("reason").asText().contains("provider broken"), failed.toString());
        }
        assertTrue(reply.body().path("choices").isMissingNode() || reply.body().path("choices").isEmpty(),
                "no made-up answer: " + reply.body());
        assertEquals(0, primary.calls().stream().filter(ProvidersE2ETest::isSynthesis).count(),
                "no synthesis over too few answers");
    }

    @Test
    @Order(3)
    void enoughSuccessfulAgentsGiveAPartialAnswerThatNamesTheFailure() throws Exception {
        primary.reset(null);

        JsonHttp.Reply reply = ask("Name a prime above 600.", """
                [{"role": "solver"}, {"role": "skeptic", "provider": "broken"},
                 {"role": "alternative"}, {"role": "verifier"}]""");

        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode conclave = reply.body().path("conclave");
        assertEquals("partial", conclave.path("status").asText(), conclave.toString());
        JsonNode skeptic = agent(conclave, "skeptic");
        assertEquals("failed", skeptic.path("status").asText(), skeptic.toString());
        assertTrue(skeptic.path("reason").asText().contains("could not be reached")
                || skeptic.path("reason").asText().contains("circuit breaker"), skeptic.toString());
        assertTrue(reply.body().at("/choices/0/message/content").asText().contains("Answer:"), reply.body().toString());
    }

    @Test
    @Order(4)
    void aFailingProviderOpensItsBreakerAndIsProbedAgainAfterTheDelay() throws Exception {
        primary.reset(null);
        second.reset("{\"error_rate_500\": 1.0}");
        String allOnSecond = """
                [{"role": "solver", "provider": "second"}, {"role": "skeptic", "provider": "second"},
                 {"role": "alternative", "provider": "second"}, {"role": "verifier", "provider": "second"}]""";

        JsonHttp.Reply first = ask("Name a prime above 700.", allOnSecond);

        assertEquals("failed", first.body().at("/conclave/status").asText(), first.body().toString());
        long attempts = second.stats().path("calls").asLong();
        // Without the breaker all four agents would make 1 + MAX_RETRIES attempts each. The window still holds the
        // first test's two successes, so the breaker opens after two or three failures.
        assertTrue(attempts >= 1 && attempts < 4L * (1 + MAX_RETRIES),
                "the breaker cut the retries short: " + attempts + " attempts reached the provider");
        assertTrue(reasons(first).stream().anyMatch(r -> r.contains("circuit breaker is open")), reasons(first).toString());

        JsonHttp.Reply whileOpen = ask("Name a prime above 800.", allOnSecond);

        assertEquals("failed", whileOpen.body().at("/conclave/status").asText(), whileOpen.body().toString());
        assertEquals(attempts, second.stats().path("calls").asLong(), "no call reached the provider while open");
        assertTrue(reasons(whileOpen).stream().allMatch(r -> r.contains("circuit breaker is open")),
                reasons(whileOpen).toString());

        second.configure("{\"error_rate_500\": 0}");
        Thread.sleep(BREAKER_DELAY_S * 1000L + 500);
        JsonHttp.Reply probed = ask("Name a prime above 900.", """
                [{"role": "solver"}, {"role": "skeptic", "provider": "second"},
                 {"role": "alternative"}, {"role": "verifier"}]""");

        assertEquals("complete", probed.body().at("/conclave/status").asText(), probed.body().toString());
        assertEquals(attempts + 1, second.stats().path("calls").asLong(), "one probe call, which closed the breaker");
    }

    private static JsonHttp.Reply ask(String question, String agents) throws Exception {
        return JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions", """
                {"model": "conclave-contemplating", "messages": [{"role": "user", "content": "%s"}],
                 "conclave": {"agents": %s, "deadline_ms": 30000}}""".formatted(question, agents));
    }

    private static JsonNode agent(JsonNode conclave, String role) {
        for (JsonNode agent : conclave.path("agents")) {
            if (agent.path("role").asText().equals(role)) {
                return agent;
            }
        }
        throw new AssertionError("no agent with role " + role + " in " + conclave);
    }

    private static List<String> reasons(JsonHttp.Reply reply) {
        List<String> reasons = new ArrayList<>();
        reply.body().at("/conclave/agents").forEach(agent -> {
            if (agent.path("status").asText().equals("failed")) {
                reasons.add(agent.path("reason").asText());
            }
        });
        return reasons;
    }

    /** "role @ model" for each agent call the simulator saw; roles are read from the planner's system prompts. */
    private static List<String> callsByRole(Simulator simulator) throws Exception {
        List<String> calls = new ArrayList<>();
        for (JsonNode call : simulator.calls()) {
            String prompt = call.path("systemPrompt").asText();
            ROLE_PROMPTS.forEach((role, fragment) -> {
                if (prompt.contains(fragment)) {
                    calls.add(role + " @ " + call.path("model").asText());
                }
            });
        }
        return calls;
    }

    private static boolean isSynthesis(JsonNode call) {
        return call.path("systemPrompt").asText().contains(SYNTHESIS_PROMPT);
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
