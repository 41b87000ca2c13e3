package io.conclave.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes the OpenAI wire shapes (completion, chunk, error), so that real OpenAI clients parse the simulator's output. */
final class OpenAiFormat {

    private final ObjectMapper mapper;

    OpenAiFormat(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String completion(CallHeader header, Completion completion, int promptTokens) {
        ObjectNode body = envelope(header, "chat.completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", completion.text());
        choice.put("finish_reason", completion.finishReason());
        usage(body, promptTokens, completion.tokens().size());
        return write(body);
    }

    /** A whole answer that asks for one tool call ({@code finish_reason: tool_calls}, no content). */
    String toolCallCompletion(CallHeader header, ToolDirective call, String callId, int promptTokens) {
        ObjectNode body = envelope(header, "chat.completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant").putNull("content");
        message.putArray("tool_calls").addObject()
                .put("id", callId)
                .put("type", "function")
                .putObject("function").put("name", call.name()).put("arguments", call.arguments());
        choice.put("finish_reason", "tool_calls");
        usage(body, promptTokens, 1);
        return write(body);
    }

    /** The first chunk of a streamed tool call: its index, ID, name and empty arguments. */
    String toolCallStartChunk(CallHeader header, ToolDirective call, String callId) {
        ObjectNode body = envelope(header, "chat.completion.chunk");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta").putArray("tool_calls").addObject()
                .put("index", 0)
                .put("id", callId)
                .put("type", "function")
                .putObject("function").put("name", call.name()).put("arguments", "");
        choice.putNull("finish_reason");
        return write(body);
    }

    /** A further chunk of a streamed tool call: a piece of its arguments, to be concatenated by index. */
    String toolCallArgumentsChunk(CallHeader header, String argumentsPiece) {
        ObjectNode body = envelope(header, "chat.completion.chunk");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta").putArray("tool_calls").addObject()
                .put("index", 0)
                .putObject("function").put("arguments", argumentsPiece);
        choice.putNull("finish_reason");
        return write(body);
    }

    String roleChunk(CallHeader header) {
        ObjectNode body = envelope(header, "chat.completion.chunk");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta").put("role", "assistant").put("content", "");
        choice.putNull("finish_reason");
        return write(body);
    }

    String contentChunk(CallHeader header, String token) {
        ObjectNode body = envelope(header, "chat.completion.chunk");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta").put("content", token);
        choice.putNull("finish_reason");
        return write(body);
    }

    String finishChunk(CallHeader header, String finishReason) {
        ObjectNode body = envelope(header, "chat.completion.chunk");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", finishReason);
        return write(body);
    }

    String usageChunk(CallHeader header, int promptTokens, int completionTokens) {
        ObjectNode body = envelope(header, "chat.completion.chunk");
        body.putArray("choices");
        usage(body, promptTokens, completionTokens);
        return write(body);
    }

    /** OpenAI's error envelope: {@code {"error":{"message","type","param","code"}}}. */
    String error(String message, String type, String code) {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
        return write(body);
    }

    String write(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
        }
    }

    private ObjectNode envelope(CallHeader header, String object) {
        return mapper.createObjectNode()
                .put("id", header.id())
                .put("object", object)
                .put("created", header.createdS())
                .put("model", header.model());
    }

    private static void usage(ObjectNode body, int promptTokens, int completionTokens) {
        body.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
    }

    /** The fields every response object of one call repeats. */
    record CallHeader(String id, long createdS, String model) {
    }
}
