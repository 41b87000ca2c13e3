package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, point 6: an agent call that takes 70 seconds completes. The worker's channel stays healthy (the
 * throttled commit strategy's max age, 600 s, is above the call), the group does not rebalance (the connector keeps
 * polling while the call runs) and liveness stays up — checked every second while the call runs.
 */
class LongAgentCallE2ETest extends SharedMeshTest {

    private static final String QUESTION = "A question that takes seventy seconds to answer";
    LongAgentCallE2ETest(Mesh mesh) {
        super(mesh);
    }

    @Test
    void aSeventySecondAgentCallCompletes() throws Exception {
        simulator.reset("{\"latency_rules\": [{\"match\": \"" + QUESTION + "\", \"extra_ttft_ms\": 70000}]}");
        ManagedProcess worker = mesh.service(Mesh.WORKER);
        long pid = worker.pid();
        int logStart = worker.log().length();
        CompletableFuture<JsonHttp.Reply> pending = JsonHttp.postAsync(mesh.gatewayUrl() + "/v1/chat/completions", """
                {"model": "conclave-instant", "messages": [{"role": "user", "content": "%s"}],
                 "conclave": {"deadline_ms": 150000}}""".formatted(QUESTION));

        List<String> unhealthy = new ArrayList<>();
        int checks = 0;
        while (!pending.isDone()) {
            Thread.sleep(1000);
            JsonHttp.Reply live = JsonHttp.get(mesh.url(Mesh.WORKER) + "/q/health/live");
            JsonHttp.Reply ready = JsonHttp.get(mesh.url(Mesh.WORKER) + "/q/health/ready");
            checks++;
            if (live.status() != 200 || ready.status() != 200) {
                unhealthy.add(live.status() + "/" + ready.status() + " " + ready.body());
            }
        }

        JsonHttp.Reply reply = JsonHttp.join(pending);
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals("complete", reply.body().at("/conclave/status").asText(), reply.body().toString());
        assertTrue(reply.millis() >= 70_000, "the call really took 70 s: " + reply.millis());
        JsonNode agent = reply.body().at("/conclave/agents/0");
        assertTrue(agent.path("latency_ms").asLong() >= 70_000, agent.toString());
        assertTrue(unhealthy.isEmpty(), "health stayed up in " + checks + " checks: " + unhealthy);
        assertEquals(pid, mesh.service(Mesh.WORKER).pid(), "the worker was never restarted");
        assertEquals(1, simulator.stats().path("calls").asLong(), "one call, never redelivered by a rebalance");
        String during = worker.log().substring(logStart).toLowerCase(java.util.Locale.ROOT);
        assertTrue(!during.contains("revoked") && !during.contains("partitions assigned"),
                "no rebalance while the call ran:\n" + during);
        assertTrue(!during.contains("error"), "no error in the worker's log while the call ran:\n" + during);
    }
}
