package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Every request has a deadline: late agents are named and left out, and no answer at all is an error. */
class DeadlineE2ETest extends SharedMeshTest {

    /** Part of the skeptic's system prompt (planner's role library), so the simulator can slow that agent. */
    static final String SKEPTIC_PROMPT_FRAGMENT = "You are the skeptic.";

    DeadlineE2ETest(Mesh mesh) {
        super(mesh);
    }

    @Test
    void anAgentThatMissesTheDeadlineMakesThePartialReplyAndIsNamed() throws Exception {
        simulator.configure("{\"latency_rules\": [{\"match\": \"" + SKEPTIC_PROMPT_FRAGMENT
                + "\", \"extra_ttft_ms\": 30000}]}");

        // 8 s: the agents' deadline falls at 6 s, leaving the synthesis 2 s (a few hundred ms on a quiet machine).
        JsonHttp.Reply reply = ask("Name a prime above 100.", 8000);

        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode conclave = reply.body().path("conclave");
        assertEquals("partial", conclave.path("status").asText(), conclave.toString());
        int late = 0;
        int complete = 0;
        for (JsonNode agent : conclave.path("agents")) {
            if (agent.path("status").asText().equals("late")) {
                late++;
                assertEquals("skeptic", agent.path("role").asText(), agent.toString());
            } else if (agent.path("status").asText().equals("complete")) {
                complete++;
            }
        }
        assertEquals(1, late, conclave.toString());
        assertEquals(4, complete, "three agents and the synthesis answered: " + conclave);
        assertTrue(reply.body().at("/choices/0/message/content").asText().contains("Answer:"));
        assertTrue(reply.millis() < 8000 + 2000, "answered near the deadline, took " + reply.millis() + " ms");
    }

    @Test
    void noAgentAnsweringInTimeIsAClearErrorNotAHang() throws Exception {
        String question = "A question nobody answers in time";
        simulator.configure("{\"latency_rules\": [{\"match\": \"" + question + "\", \"extra_ttft_ms\": 30000}]}");

        JsonHttp.Reply reply = ask(question, 2000);

        assertTrue(reply.status() == 502 || reply.status() == 504, reply.status() + " " + reply.body());
        String message = reply.body().at("/error/message").asText();
        assertTrue(message.contains("deadline"), message);
        assertEquals("failed", reply.body().at("/conclave/status").asText(), reply.body().toString());
        assertTrue(reply.millis() < 2000 + 3000, "failed near the deadline, took " + reply.millis() + " ms");
    }

    private JsonHttp.Reply ask(String question, long deadlineMs) throws Exception {
        return JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions", """
                {"model": "conclave-contemplating", "messages": [{"role": "user", "content": "%s"}],
                 "conclave": {"agents": 4, "deadline_ms": %d}}""".formatted(question, deadlineMs));
    }
}
