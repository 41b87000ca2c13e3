package io.conclave.simulator;

import static io.conclave.simulator.SimClient.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Uses raw sockets so that "the client went away" is exactly a closed TCP connection. */
class CancellationTest {

    private LlmSimulator sim;

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void clientThatDisconnectsMidStreamIsCountedAsCancelled() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(20).tokenMs(20).tokens(500).build());
        SimClient client = new SimClient(sim);

        try (Socket socket = send(chat("You are the quitter.", "Q", true, ""))) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(reader.readLine().startsWith("HTTP/1.1 200"));
            int dataLines = 0;
            while (dataLines < 3) {
                String line = reader.readLine();
                dataLines += line != null && line.startsWith("data: ") ? 1 : 0;
            }
        }

        JsonNode stats = client.awaitStats(s -> s.path("cancelled").asInt() == 1);
        assertEquals(1, stats.path("cancelled").asInt(), stats.toString());
        assertEquals(0, stats.path("completed").asInt());
        assertEquals(0, stats.path("inFlight").asInt());
        JsonNode call = stats.path("recent").path(0);
        assertEquals("cancelled", call.path("outcome").asText());
        assertTrue(call.path("firstTokenAtMs").isNumber());
        int sent = call.path("completionTokens").asInt();
        assertTrue(sent >= 2 && sent < 100, "stopped streaming after " + sent + " tokens");
        Thread.sleep(100);
        assertEquals(sent, client.getJson("/sim/stats").path("recent").path(0).path("completionTokens").asInt(),
                "no more tokens after the disconnect");
    }

    @Test
    void disconnectWhileWaitingFreesTheSlotForTheNextCall() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(20).tokenMs(0).tokens(4).maxConcurrency(1)
                .latencyRules(List.of(new LatencyRule("SLOW", 60_000))).build());
        SimClient client = new SimClient(sim);

        Socket holder = send(chat(null, "SLOW question", false, ""));
        client.awaitStats(s -> s.path("inFlight").asInt() == 1);
        Socket queued = send(chat(null, "queued question", false, ""));
        assertEquals(1, client.awaitStats(s -> s.path("queued").asInt() == 1).path("queued").asInt());

        queued.close();
        JsonNode afterQueued = client.awaitStats(s -> s.path("cancelled").asInt() == 1);
        assertEquals(0, afterQueued.path("queued").asInt(), "a cancelled waiter leaves the queue");
        assertEquals(1, afterQueued.path("inFlight").asInt());
        assertTrue(afterQueued.path("recent").path(0).path("firstTokenAtMs").isNull());

        holder.close();
        JsonNode afterHolder = client.awaitStats(s -> s.path("cancelled").asInt() == 2);
        assertEquals(0, afterHolder.path("inFlight").asInt());

        long start = System.nanoTime();
        assertEquals(200, client.post("/v1/chat/completions", chat(null, "next question", false, "")).statusCode());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000, "the slot was given back");
        assertEquals(1, client.getJson("/sim/stats").path("completed").asInt());
    }

    private Socket send(String body) throws IOException {
        Socket socket = new Socket("127.0.0.1", sim.port());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }
}
