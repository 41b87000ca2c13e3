package io.conclave.simulator;

import static io.conclave.simulator.SimClient.answerOf;
import static io.conclave.simulator.SimClient.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator asks for tool calls when told to, in OpenAI's JSON and streaming shapes, one per turn. */
class ToolCallTest {

    private static final String TOOLS = """
            "tools": [{"type": "function", "function": {"name": "calculator", "parameters": {"type": "object"}}},
                      {"type": "function", "function": {"name": "current_time", "parameters": {"type": "object"}}}]""";
    private static final String DIRECTIVES = "What is 6*7 and what time is it? "
            + "<tool_call name=\"calculator\">{\"expression\": \"6*7\"}</tool_call> "
            + "<tool_call name=\"current_time\">{}</tool_call>";
    private static LlmSimulator sim;
    private static SimClient client;

    @BeforeAll
    static void start() {
        sim = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(5).tokenMs(0).tokens(8).build());
        client = new SimClient(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void aDirectiveWithTheToolOfferedGetsAToolCallAsJson() {
        JsonNode body = client.json(client.post("/v1/chat/completions", request(false, "", TOOLS)));

        JsonNode choice = body.path("choices").path(0);
        assertEquals("tool_calls", choice.path("finish_reason").asText(), body.toString());
        assertTrue(choice.path("message").path("content").isNull());
        JsonNode call = choice.path("message").path("tool_calls").path(0);
        assertEquals("function", call.path("type").asText());
        assertEquals("calculator", call.path("function").path("name").asText());
        assertEquals("{\"expression\": \"6*7\"}", call.path("function").path("arguments").asText());
        assertTrue(call.path("id").asText().startsWith("call_sim_0_"));
    }

    @Test
    void streamedToolCallArgumentsComeInPiecesThatConcatenate() {
        HttpResponse<String> response = client.post("/v1/chat/completions",
                request(true, "", TOOLS + ", \"stream_options\": {\"include_usage\": true}"));

        List<String> events = client.events(response);
        assertEquals("[DONE]", events.get(events.size() - 1));
        StringBuilder arguments = new StringBuilder();
        String name = null;
        String finish = null;
        for (String event : events.subList(0, events.size() - 1)) {
            JsonNode choice = client.json(event).path("choices").path(0);
            JsonNode call = choice.path("delta").path("tool_calls").path(0);
            if (call.isObject()) {
                assertEquals(0, call.path("index").asInt());
                if (call.path("function").has("name")) {
                    name = call.path("function").path("name").asText();
                }
                arguments.append(call.path("function").path("arguments").asText(""));
            }
            if (choice.path("finish_reason").isTextual()) {
                finish = choice.path("finish_reason").asText();
            }
        }
        assertEquals("calculator", name);
        assertEquals("{\"expression\": \"6*7\"}", arguments.toString());
        assertEquals("tool_calls", finish);
    }

    @Test
    void theNextDirectiveComesAfterOneToolResultAndTextAfterAll() {
        String afterOne = toolTurn("call_sim_0_x", "calculator", "42");
        JsonNode second = client.json(client.post("/v1/chat/completions", request(false, afterOne, TOOLS)));
        assertEquals("current_time",
                second.at("/choices/0/message/tool_calls/0/function/name").asText(), second.toString());
        assertTrue(second.at("/choices/0/message/tool_calls/0/id").asText().startsWith("call_sim_1_"));

        String afterBoth = afterOne + "," + toolTurn("call_sim_1_y", "current_time", "2030-01-01T00:00:00Z");
        JsonNode last = client.json(client.post("/v1/chat/completions", request(false, afterBoth, TOOLS)));
        assertEquals("stop", last.at("/choices/0/finish_reason").asText(), last.toString());
        answerOf(last.at("/choices/0/message/content").asText());
    }

    @Test
    void noToolsOfferedOrToolChoiceNoneMeansAText() {
        JsonNode plain = client.json(client.post("/v1/chat/completions", request(false, "", "")));
        assertFalse(plain.at("/choices/0/message/tool_calls").isArray());
        answerOf(plain.at("/choices/0/message/content").asText());

        JsonNode none = client.json(client.post("/v1/chat/completions",
                request(false, "", TOOLS + ", \"tool_choice\": \"none\"")));
        assertEquals("stop", none.at("/choices/0/finish_reason").asText());
    }

    @Test
    void aDirectiveForAToolNotOfferedIsIgnored() {
        String onlyTime = """
                "tools": [{"type": "function", "function": {"name": "current_time"}}]""";
        JsonNode body = client.json(client.post("/v1/chat/completions", request(false, "", onlyTime)));
        assertEquals("current_time", body.at("/choices/0/message/tool_calls/0/function/name").asText());
    }

    @Test
    void malformedToolsAreRejectedAsTheRealApiWould() {
        HttpResponse<String> response = client.post("/v1/chat/completions",
                request(false, "", "\"tools\": [{\"type\": \"function\"}]"));
        assertEquals(400, response.statusCode());
    }

    private static String request(boolean stream, String laterMessages, String extra) {
        return "{\"model\":\"gpt-sim\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":"
                + quote(DIRECTIVES) + "}" + (laterMessages.isEmpty() ? "" : "," + laterMessages) + "]"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static String toolTurn(String id, String name, String result) {
        return "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + id + "\",\"type\":\"function\","
                + "\"function\":{\"name\":\"" + name + "\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"" + id + "\",\"content\":" + quote(result) + "}";
    }
}
