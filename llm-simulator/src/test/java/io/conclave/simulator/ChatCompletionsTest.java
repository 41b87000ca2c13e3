package io.conclave.simulator;

import static io.conclave.simulator.SimClient.answerOf;
import static io.conclave.simulator.SimClient.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatCompletionsTest {

    private static final int TOKENS = 16;
    private static LlmSimulator sim;
    private static SimClient client;

    @BeforeAll
    static void start() {
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(30).tokenMs(2).tokens(TOKENS).build());
        client = new SimClient(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void baseUrlPointsAtV1() {
        assertTrue(sim.port() > 0);
        assertEquals("http://127.0.0.1:" + sim.port() + "/v1", sim.baseUrl());
    }

    @Test
    void nonStreamAnswerIsAChatCompletionOfExactlyNTokens() {
        long start = System.nanoTime();
        HttpResponse<String> response = client.post("/v1/chat/completions", chat("You are terse.", "What is 6*7?", false, ""));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = client.json(response);
        assertEquals("chat.completion", body.path("object").asText());
        assertEquals("gpt-sim", body.path("model").asText());
        assertTrue(body.path("id").asText().startsWith("chatcmpl-"));
        JsonNode choice = body.path("choices").path(0);
        assertEquals("assistant", choice.path("message").path("role").asText());
        assertEquals("stop", choice.path("finish_reason").asText());
        String content = choice.path("message").path("content").asText();
        assertEquals(TOKENS, content.trim().split("\\s+").length, content);
        answerOf(content);
        JsonNode usage = body.path("usage");
        assertEquals(TOKENS, usage.path("completion_tokens").asInt());
        assertEquals(6, usage.path("prompt_tokens").asInt()); // "You are terse." + "What is 6*7?"
        assertEquals(usage.path("prompt_tokens").asInt() + TOKENS, usage.path("total_tokens").asInt());
        assertTrue(elapsedMs >= 30 + TOKENS * 2, "answered after " + elapsedMs + " ms");
    }

    @Test
    void streamSendsRoleContentFinishUsageAndDone() {
        String request = chat("You are terse.", "Name a prime.", true, "\"stream_options\":{\"include_usage\":true}");
        HttpResponse<String> response = client.post("/v1/chat/completions", request);

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> events = client.events(response);
        assertEquals("[DONE]", events.get(events.size() - 1));
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(this::parse).toList();
        assertEquals(1 + TOKENS + 2, chunks.size(), "role, tokens, finish, usage");
        chunks.forEach(c -> assertEquals("chat.completion.chunk", c.path("object").asText()));
        chunks.forEach(c -> assertEquals(chunks.get(0).path("id"), c.path("id")));
        assertEquals("assistant", chunks.get(0).path("choices").path(0).path("delta").path("role").asText());

        StringBuilder content = new StringBuilder();
        for (JsonNode chunk : chunks.subList(1, 1 + TOKENS)) {
            String token = chunk.path("choices").path(0).path("delta").path("content").asText();
            assertEquals(1, token.trim().split("\\s+").length, "one word per chunk: '" + token + "'");
            assertTrue(chunk.path("choices").path(0).path("finish_reason").isNull());
            content.append(token);
        }
        JsonNode finish = chunks.get(1 + TOKENS).path("choices").path(0);
        assertEquals("stop", finish.path("finish_reason").asText());
        assertTrue(finish.path("delta").isEmpty());
        JsonNode usageChunk = chunks.get(2 + TOKENS);
        assertTrue(usageChunk.path("choices").isArray() && usageChunk.path("choices").isEmpty());
        assertEquals(TOKENS, usageChunk.path("usage").path("completion_tokens").asInt());

        String whole = client.json(client.post("/v1/chat/completions", request.replace("\"stream\":true", "\"stream\":false")))
                .path("choices").path(0).path("message").path("content").asText();
        assertEquals(whole, content.toString(), "stream and non-stream carry the same text");
        answerOf(content.toString());
    }

    @Test
    void streamWithoutIncludeUsageHasNoUsageChunk() {
        List<String> events = client.events(client.post("/v1/chat/completions", chat(null, "Hi", true, "")));
        assertEquals(1 + TOKENS + 1 + 1, events.size(), "role, tokens, finish, [DONE]");
        events.subList(0, events.size() - 1).forEach(e -> assertTrue(parse(e).path("usage").isMissingNode()));
    }

    @Test
    void sameRequestGivesSameContent() {
        String request = chat("You are agent A.", "How many moons has Mars?", false, "");
        assertEquals(content(request), content(request));
    }

    @Test
    void agentsWithDifferentSystemPromptsAgreeOnTheAnswer() {
        String a = content(chat("You are a cautious analyst.", "How many moons has Mars?", false, ""));
        String b = content(chat("You are a bold contrarian.", "How many moons has Mars?", false, ""));
        String c = content(chat(null, "How many moons has Mars?", false, "").replace("0.7", "0.1"));

        assertNotEquals(a, b, "reasoning depends on the whole conversation");
        assertEquals(answerOf(a), answerOf(b));
        assertEquals(answerOf(a), answerOf(c));
        assertNotEquals(answerOf(a), answerOf(content(chat(null, "How many moons has Jupiter?", false, ""))));
    }

    @Test
    void contentPartsCountAsText() {
        String parts = "{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"How many moons has Mars?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}";
        String plain = chat(null, "How many moons has Mars?", false, "");
        assertEquals(answerOf(content(plain)), answerOf(content(parts)));
    }

    @Test
    void maxTokensCutsTheAnswerWithFinishReasonLength() {
        JsonNode body = client.json(client.post("/v1/chat/completions", chat(null, "Explain.", false, "\"max_tokens\":5")));
        JsonNode choice = body.path("choices").path(0);
        assertEquals("length", choice.path("finish_reason").asText());
        assertEquals(5, choice.path("message").path("content").asText().trim().split("\\s+").length);
        assertEquals(5, body.path("usage").path("completion_tokens").asInt());

        List<String> events = client.events(client.post("/v1/chat/completions", chat(null, "Explain.", true, "\"max_tokens\":3")));
        assertEquals(1 + 3 + 1 + 1, events.size());
        assertEquals("length", parse(events.get(4)).path("choices").path(0).path("finish_reason").asText());
    }

    @Test
    void malformedBodiesAreRejectedOpenAiStyle() {
        for (String bad : List.of("not json", "{}", "[1,2]", "{\"model\":\"m\",\"messages\":[]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":42}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":0}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}")) {
            HttpResponse<String> response = client.post("/v1/chat/completions", bad);
            assertEquals(400, response.statusCode(), bad);
            JsonNode error = client.json(response).path("error");
            assertEquals("invalid_request_error", error.path("type").asText(), bad);
            assertFalse(error.path("message").asText().isEmpty(), bad);
            assertFalse(error.path("code").asText().isEmpty(), bad);
        }
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
        assertEquals(404, client.get("/v1/embeddings").statusCode());
        assertEquals(405, client.get("/v1/chat/completions").statusCode());
    }

    private String content(String request) {
        HttpResponse<String> response = client.post("/v1/chat/completions", request);
        assertEquals(200, response.statusCode(), response.body());
        return client.json(response).path("choices").path(0).path("message").path("content").asText();
    }

    private JsonNode parse(String json) {
        try {
            return client.mapper.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
