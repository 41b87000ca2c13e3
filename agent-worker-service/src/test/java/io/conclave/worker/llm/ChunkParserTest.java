package io.conclave.worker.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.TokenUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkParserTest {

    private final ChunkParser parser = new ChunkParser(new ObjectMapper(), "default");

    @Test
    void readsAContentDelta() {
        ChatChunk chunk = parser.parse("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"Hello \"},\"finish_reason\":null}]}").orElseThrow();
        assertEquals(new ChatChunk("Hello ", null, null), chunk);
    }

    @Test
    void readsTheRoleChunkAsEmptyContent() {
        ChatChunk chunk = parser.parse("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":null}]}").orElseThrow();
        assertEquals("", chunk.content());
    }

    @Test
    void readsTheFinishReasonAndTheUsageChunk() {
        assertEquals("length", parser.parse("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}")
                .orElseThrow().finishReason());
        ChatChunk usage = parser.parse("{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":30,"
                + "\"total_tokens\":42}}").orElseThrow();
        assertEquals(new TokenUsage(12, 30, 42), usage.usage());
        assertEquals("", usage.content());
    }

    @Test
    void aNullUsageIsNoUsage() {
        assertNull(parser.parse("{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"usage\":null}").orElseThrow().usage());
    }

    @Test
    void doneEndsTheStream() {
        assertTrue(parser.parse("[DONE]").isEmpty());
    }

    @Test
    void anErrorEventIsAStreamError() {
        LlmCallException error = assertThrows(LlmCallException.class,
                () -> parser.parse("{\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}"));
        assertEquals(LlmCallException.Kind.STREAM_ERROR, error.kind());
        assertEquals("provider default reported an error mid-stream: model overloaded", error.reason());
    }

    @Test
    void readsAWholeCompletionAsOneChunk() {
        ChatChunk whole = parser.completion("{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"Step one.\\nAnswer: 42\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,"
                + "\"total_tokens\":20}}");
        assertEquals(new ChatChunk("Step one.\nAnswer: 42", "stop", new TokenUsage(12, 8, 20)), whole);
    }

    @Test
    void readsTheToolCallsOfAWholeCompletionByPosition() {
        ChatChunk whole = parser.completion("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"calculator\","
                + "\"arguments\":\"{\\\"expression\\\":\\\"6*7\\\"}\"}},{\"id\":\"call_2\",\"type\":\"function\","
                + "\"function\":{\"name\":\"http_get\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}");
        assertEquals("", whole.content());
        assertEquals("tool_calls", whole.finishReason());
        assertEquals(List.of(new ToolCallDelta(0, "call_1", "calculator", "{\"expression\":\"6*7\"}"),
                new ToolCallDelta(1, "call_2", "http_get", "{}")), whole.toolCalls());
    }

    @Test
    void aCompletionWithoutAMessageIsAProtocolError() {
        LlmCallException error = assertThrows(LlmCallException.class,
                () -> parser.completion("{\"object\":\"chat.completion\",\"choices\":[]}"));
        assertEquals(LlmCallException.Kind.PROTOCOL, error.kind());
        assertTrue(error.reason().contains("no choices[0].message"), error.reason());
        assertEquals(LlmCallException.Kind.STREAM_ERROR, assertThrows(LlmCallException.class,
                () -> parser.completion("{\"error\":{\"message\":\"overloaded\"}}")).kind());
        LlmCallException notJson = assertThrows(LlmCallException.class, () -> parser.completion("<html>"));
        assertTrue(notJson.reason().contains("the response body is not JSON: <html>"), notJson.reason());
    }

    @Test
    void dataThatIsNotJsonIsAProtocolError() {
        LlmCallException error = assertThrows(LlmCallException.class, () -> parser.parse("<html>"));
        assertEquals(LlmCallException.Kind.PROTOCOL, error.kind());
        assertTrue(error.reason().contains("<html>"), error.reason());
        assertEquals(LlmCallException.Kind.PROTOCOL,
                assertThrows(LlmCallException.class, () -> parser.parse("[1,2]")).kind());
    }
}
