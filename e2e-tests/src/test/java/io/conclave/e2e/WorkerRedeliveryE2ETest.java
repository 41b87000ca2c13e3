package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, point 4: two worker processes share the sub-tasks; one is killed with SIGKILL while its agents' LLM
 * calls are in flight, and the request still completes with every agent, because the dead worker's uncommitted
 * sub-tasks are redelivered to the survivor once the group notices (session.timeout.ms = 10 s, dynamic
 * membership).
 */
class WorkerRedeliveryE2ETest {

    private static final int AGENTS = 8;
    private static Mesh mesh;
    private static Simulator simulator;

    @BeforeAll
    static void start() throws Exception {
        mesh = Mesh.start(Mesh.Options.defaults().withWorkers(2));
        simulator = new Simulator(mesh);
    }

    @AfterAll
    static void stop() throws Exception {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void aWorkerKilledMidRequestLosesNothing() throws Exception {
        simulator.reset("{\"ttft_ms\": 4000}");
        CompletableFuture<JsonHttp.Reply> pending = JsonHttp.postAsync(mesh.gatewayUrl() + "/v1/chat/completions", """
                {"model": "conclave-contemplating", "messages": [{"role": "user", "content": "Name a prime above 500."}],
                 "conclave": {"agents": %d, "deadline_ms": 90000}}""".formatted(AGENTS));
        awaitInFlight(AGENTS);

        ManagedProcess victim = mesh.service(Mesh.WORKER + "-2");
        victim.kill();
        assertFalse(victim.isAlive());

        JsonHttp.Reply reply = JsonHttp.join(pending);
        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode conclave = reply.body().path("conclave");
        assertEquals("complete", conclave.path("status").asText(), conclave.toString());
        List<String> statuses = conclave.path("agents").findValuesAsText("status");
        assertEquals(AGENTS + 1, statuses.size(), conclave.toString());
        assertTrue(statuses.stream().allMatch("complete"::equals), "every agent and the synthesis: " + statuses);
        JsonNode stats = simulator.stats();
        assertTrue(stats.path("cancelled").asLong() >= 1,
                "the killed worker had LLM calls in flight (their connections dropped): " + stats);
        assertTrue(stats.path("completed").asLong() >= AGENTS + 1, "the redelivered agents ran again: " + stats);
        System.out.printf("redelivery: %d ms for the request, %d calls cut by the kill%n", reply.millis(),
                stats.path("cancelled").asLong());
    }

    private static void awaitInFlight(int calls) throws Exception {
        long until = System.currentTimeMillis() + 30_000;
        while (simulator.stats().path("inFlight").asInt() < calls) {
            if (System.currentTimeMillis() > until) {
                throw new AssertionError("agents never all in flight: " + simulator.stats());
            }
            Thread.sleep(100);
        }
    }
}
