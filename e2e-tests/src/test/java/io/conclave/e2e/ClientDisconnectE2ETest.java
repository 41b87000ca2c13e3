package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: a client that hangs up before its answer cancels its request, so the agents' LLM calls are aborted
 * instead of running to the end for nobody. The client is a raw socket that sends the request and closes.
 */
class ClientDisconnectE2ETest extends SharedMeshTest {

    private static final int AGENTS = 4;

    ClientDisconnectE2ETest(Mesh mesh) {
        super(mesh);
    }

    /** Runs after the baseline reset. */
    @BeforeEach
    void slowAgents() throws Exception {
        simulator.configure("{\"ttft_ms\": 20000}");
    }

    @Test
    void hangingUpOnAWaitingCallCancelsItsAgents() throws Exception {
        hangUpWhileAgentsRun(false);
    }

    @Test
    void hangingUpOnAStreamCancelsItsAgents() throws Exception {
        hangUpWhileAgentsRun(true);
    }

    private void hangUpWhileAgentsRun(boolean stream) throws Exception {
        String body = """
                {"model": "conclave-contemplating", "stream": %s,
                 "messages": [{"role": "user", "content": "Name a prime above 1000."}],
                 "conclave": {"agents": %d, "deadline_ms": 60000}}""".formatted(stream, AGENTS);
        URI gateway = URI.create(mesh.gatewayUrl());
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.getPort())) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            if (stream) {
                InputStream in = socket.getInputStream();
                assertTrue(in.read() >= 0, "the stream started");
            }
            awaitStats("the agents' calls in flight", stats -> stats.path("inFlight").asInt() >= AGENTS);
        }

        JsonNode stats = awaitStats("the agents' calls aborted",
                s -> s.path("cancelled").asInt() >= AGENTS && s.path("inFlight").asInt() == 0);
        assertEquals(0, stats.path("completed").asInt(), "no agent ran to the end: " + stats);
    }

    private JsonNode awaitStats(String what, Predicate<JsonNode> condition) throws Exception {
        long until = System.currentTimeMillis() + 15_000;
        JsonNode stats = simulator.stats();
        while (!condition.test(stats)) {
            if (System.currentTimeMillis() > until) {
                throw new AssertionError("waited 15 s for " + what + ": " + stats);
            }
            Thread.sleep(100);
            stats = simulator.stats();
        }
        return stats;
    }
}
