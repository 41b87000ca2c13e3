package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.contracts.Topics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code stream: true} through the mesh: the final answer's tokens travel worker → conclave.progress →
 * the gateway holding the connection, in OpenAI's chunk format, while the answer is still being written.
 */
class StreamingE2ETest extends SharedMeshTest {

    StreamingE2ETest(Mesh mesh) {
        super(mesh);
    }

    @Test
    void anInstantStreamDeliversItsFirstTokensLongBeforeTheAnswerIsFinished() throws Exception {
        // 200 ms to the first token, then 64 tokens 25 ms apart: the answer takes about 1.8 s to write.
        simulator.reset("{\"ttft_ms\": 200, \"token_ms\": 25, \"tokens\": 64}");

        SseLines.Stream stream = stream("conclave-instant", true);

        assertEquals(200, stream.status());
        assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
        List<JsonNode> chunks = chunks(stream);
        long firstToken = firstContentAt(stream);
        long done = stream.lines().stream().filter(line -> line.text().equals("data: [DONE]")).findFirst()
                .orElseThrow(() -> new AssertionError("no [DONE]: " + stream.lines())).atMillis();
        System.out.printf("stream: instant, simulator ttft 200 ms: first token after %d ms, done after %d ms%n",
                firstToken, done);
        assertTrue(firstToken + 800 < done, "the first token came before the answer was written: first " + firstToken
                + " ms, done " + done + " ms");

        Set<String> ids = new HashSet<>();
        StringBuilder content = new StringBuilder();
        int contentChunks = 0;
        for (JsonNode chunk : chunks) {
            ids.add(chunk.path("id").asText());
            assertEquals("chat.completion.chunk", chunk.path("object").asText(), chunk.toString());
            assertEquals("conclave-instant", chunk.path("model").asText());
            String text = chunk.at("/choices/0/delta/content").asText("");
            if (!text.isEmpty()) {
                contentChunks++;
                content.append(text);
            }
        }
        assertEquals(Set.of("chatcmpl-" + stream.correlationId()), ids, "one id for every chunk");
        assertTrue(contentChunks >= 4, "the answer came in batches, not at once: " + contentChunks);
        assertTrue(content.toString().contains("Answer:"), content.toString());
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertEquals(0, usage.path("choices").size(), "the usage chunk has no choice: " + usage);
        assertTrue(usage.at("/usage/completion_tokens").asLong() > 0, usage.toString());
        JsonNode last = chunks.get(chunks.size() - 2);
        assertEquals("stop", last.at("/choices/0/finish_reason").asText(), last.toString());
        assertEquals("complete", last.at("/conclave/status").asText(), last.toString());
        assertEquals("data: [DONE]", stream.data().isEmpty() ? "" : "data: " + stream.data().get(stream.data().size() - 1));
    }

    @Test
    void aContemplatingStreamShowsTheAgentsWorkingThenStreamsTheSynthesis() throws Exception {
        simulator.reset("{\"ttft_ms\": 200, \"token_ms\": 10, \"tokens\": 64}");

        SseLines.Stream stream = stream("conclave-contemplating", false);

        assertEquals(200, stream.status());
        List<String> progress = new ArrayList<>();
        long lastProgress = 0;
        for (SseLines.Line line : stream.lines()) {
            if (line.text().startsWith(": conclave ")) {
                progress.add(JsonHttp.JSON.readTree(line.text().substring(": conclave ".length())).path("kind").asText());
                lastProgress = line.atMillis();
            }
        }
        long firstToken = firstContentAt(stream);
        System.out.printf("stream: contemplating (4 agents + synthesis), simulator ttft 200 ms: first token after"
                + " %d ms%n", firstToken);
        assertTrue(progress.contains("planned"), progress.toString());
        assertTrue(progress.stream().filter("agent_finished"::equals).count() >= 4, progress.toString());
        assertTrue(progress.indexOf("agent_started") < progress.indexOf("agent_finished"), progress.toString());
        assertTrue(lastProgress <= firstToken + 1000, "the agents' progress came before the synthesis' tokens");
        List<JsonNode> chunks = chunks(stream);
        JsonNode last = chunks.get(chunks.size() - 1);
        assertEquals("stop", last.at("/choices/0/finish_reason").asText(), last.toString());
        assertEquals("contemplating", last.at("/conclave/mode").asText());
        assertTrue(last.at("/conclave/agents").size() >= 5, last.toString());
    }

    @Test
    void aRefusedStreamIsAPlainJsonError() throws Exception {
        SseLines.Stream stream = SseLines.post(mesh.gatewayUrl() + "/v1/chat/completions",
                "{\"model\":\"conclave-instant\",\"stream\":true,\"messages\":[],\"conclave\":{\"agents\":1}}", Map.of());

        assertEquals(400, stream.status());
        assertTrue(stream.contentType().startsWith("application/json"), stream.contentType());
        JsonNode error = JsonHttp.JSON.readTree(String.join("\n", stream.lines().stream().map(SseLines.Line::text)
                .toList())).path("error");
        assertEquals("messages", error.path("param").asText());
    }

    @Test
    void onlyRequestsSomebodyWatchesPublishProgress() throws Exception {
        SseLines.Stream streamed = stream("conclave-contemplating", false);
        JsonHttp.Reply plain = JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions", """
                {"model": "conclave-contemplating", "messages": [{"role": "user", "content": "Why is grass green?"}]}""");
        assertEquals(200, plain.status(), plain.body().toString());
        String plainId = plain.header("x-conclave-correlation-id");

        Map<String, Integer> progress = TopicRecords.countByKey(mesh.bootstrapServers(), Topics.PROGRESS);

        // planned, agent_started and agent_finished for 4 agents and the synthesis, and the answer's deltas.
        assertTrue(progress.getOrDefault(streamed.correlationId(), 0) > 11, "a stream's progress: " + progress);
        assertEquals(0, progress.getOrDefault(plainId, 0), "a plain call's client sees only its answer, so its "
                + "agents publish no progress");
    }

    private SseLines.Stream stream(String model, boolean includeUsage) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"stream\":true,"
                + (includeUsage ? "\"stream_options\":{\"include_usage\":true}," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}]}";
        SseLines.Stream stream = SseLines.post(mesh.gatewayUrl() + "/v1/chat/completions", body, Map.of());
        assertNotNull(stream.correlationId(), "the correlation id header comes with the stream");
        return stream;
    }

    private static List<JsonNode> chunks(SseLines.Stream stream) throws Exception {
        List<JsonNode> chunks = new ArrayList<>();
        for (String data : stream.data()) {
            if (!data.equals("[DONE]")) {
                chunks.add(JsonHttp.JSON.readTree(data));
            }
        }
        return chunks;
    }

    private static long firstContentAt(SseLines.Stream stream) throws Exception {
        for (SseLines.Line line : stream.lines()) {
            if (line.text().startsWith("data: {")) {
                JsonNode chunk = JsonHttp.JSON.readTree(line.text().substring("data: ".length()));
                if (!chunk.at("/choices/0/delta/content").asText("").isEmpty()) {
                    return line.atMillis();
                }
            }
        }
        throw new AssertionError("no content in " + stream.lines());
    }
}
