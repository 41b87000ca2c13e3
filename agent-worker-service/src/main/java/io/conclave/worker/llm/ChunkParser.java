package io.conclave.worker.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code data} of one chat-completion stream event: a {@code chat.completion.chunk} (delta, finish
 * reason, usage), the {@code [DONE]} sentinel, or an {@code error} object some providers send mid-stream; and the
 * body of a call made without streaming, a {@code chat.completion}, as the one chunk that carries all of it.
 */
public final class ChunkParser {

    /** The data of the event that ends an OpenAI stream. */
    public static final String DONE = "[DONE]";

    private final ObjectMapper mapper;
    private final String provider;

    public ChunkParser(ObjectMapper mapper, String provider) {
        this.mapper = mapper;
        this.provider = provider;
    }

    /**
     * @return the chunk, or empty for {@code [DONE]}
     * @throws LlmCallException of kind {@code PROTOCOL} for data that is not a chunk, {@code STREAM_ERROR} for an
     *     error event
     */
    public Optional<ChatChunk> parse(String data) {
        if (data.trim().equals(DONE)) {
            return Optional.empty();
        }
        JsonNode event = read(data, "event data");
        if (event.hasNonNull("error")) {
            JsonNode error = event.get("error");
            throw LlmCallException.streamError(provider, error.path("message").asText(error.toString()));
        }
        JsonNode choice = event.path("choices").path(0);
        String content = choice.path("delta").path("content").asText("");
        JsonNode finish = choice.path("finish_reason");
        return Optional.of(new ChatChunk(content, finish.isTextual() ? finish.textValue() : null, usage(event),
                toolCalls(choice.path("delta").path("tool_calls"))));
    }

    /**
     * @param body a whole {@code chat.completion}: {@code choices[0].message} (content, tool calls), its finish
     *     reason and the usage
     * @return the answer as one chunk, each tool call complete under its position as index
     * @throws LlmCallException of kind {@code PROTOCOL} for a body that is not a completion, {@code STREAM_ERROR}
     *     for an {@code error} object
     */
    public ChatChunk completion(String body) {
        JsonNode completion = read(body, "the response body");
        if (completion.hasNonNull("error")) {
            JsonNode error = completion.get("error");
            throw LlmCallException.streamError(provider, error.path("message").asText(error.toString()));
        }
        JsonNode choice = completion.path("choices").path(0);
        if (!choice.path("message").isObject()) {
            throw LlmCallException.protocol(provider, "the completion has no choices[0].message: " + abbreviate(body),
                    null);
        }
        JsonNode message = choice.path("message");
        JsonNode finish = choice.path("finish_reason");
        return new ChatChunk(message.path("content").asText(""), finish.isTextual() ? finish.textValue() : null,
                usage(completion), toolCalls(message.path("tool_calls")));
    }

    private static List<ToolCallDelta> toolCalls(JsonNode calls) {
        if (!calls.isArray() || calls.isEmpty()) {
            return List.of();
        }
        List<ToolCallDelta> deltas = new ArrayList<>(calls.size());
        for (JsonNode call : calls) {
            JsonNode function = call.path("function");
            deltas.add(new ToolCallDelta(call.path("index").asInt(deltas.size()), text(call.path("id")),
                    text(function.path("name")), function.path("arguments").asText("")));
        }
        return deltas;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }

    /** @param what what the text is, for the error: {@code "event data"}, {@code "the response body"} */
    private JsonNode read(String data, String what) {
        try {
            JsonNode event = mapper.readTree(data);
            if (event == null || !event.isObject()) {
                throw LlmCallException.protocol(provider, what + " is not a JSON object: " + abbreviate(data),
                        null);
            }
            return event;
        } catch (JsonProcessingException e) {
            throw LlmCallException.protocol(provider, what + " is not JSON: " + abbreviate(data), e);
        }
    }

    private static TokenUsage usage(JsonNode event) {
        JsonNode usage = event.path("usage");
        if (!usage.isObject()) {
            return null;
        }
        long prompt = usage.path("prompt_tokens").asLong();
        long completion = usage.path("completion_tokens").asLong();
        return new TokenUsage(prompt, completion, usage.path("total_tokens").asLong(prompt + completion));
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
