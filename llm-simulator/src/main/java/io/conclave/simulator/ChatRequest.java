package io.conclave.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an OpenAI chat-completions request that drive the simulation, checked as strictly as the real API so
 * that client bugs surface in tests rather than in production.
 *
 * @param model        requested model id, echoed back
 * @param temperature  sampling temperature, or null when absent; part of the content hash
 * @param maxTokens    completion token cap, or null when absent
 * @param stream       whether to answer as server-sent events
 * @param includeUsage whether a streamed answer ends with a usage chunk
 * @param messages     the conversation, at least one message
 * @param offeredTools names of the functions in {@code tools}; empty when none, or when {@code tool_choice} is
 *                     {@code "none"}
 * @param toolResults  how many {@code tool} messages (results of earlier tool calls) the conversation holds
 * @param images       the SHA-256 (hex) of each {@code image_url} part's URL, in order, so tests can tell which
 *                     images a model was shown without the simulator keeping megabytes per call
 */
record ChatRequest(String model, Double temperature, Integer maxTokens, boolean stream, boolean includeUsage,
                   List<ChatMessage> messages, List<String> offeredTools, int toolResults, List<String> images) {

    ChatRequest(String model, Double temperature, Integer maxTokens, boolean stream, boolean includeUsage,
                List<ChatMessage> messages) {
        this(model, temperature, maxTokens, stream, includeUsage, messages, List.of(), 0, List.of());
    }

    /** @throws InvalidRequestException if the body is not a valid chat-completions request */
    static ChatRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid("request body must be a JSON object");
        }
        JsonNode model = body.path("model");
        if (!model.isTextual() || model.textValue().isBlank()) {
            throw new InvalidRequestException("missing_model", "you must provide a model parameter");
        }
        List<ChatMessage> messages = messages(body.path("messages"));
        return new ChatRequest(model.textValue(), temperature(body.path("temperature")),
                maxTokens(body.path("max_tokens")), flag(body.path("stream"), "stream"),
                flag(body.path("stream_options").path("include_usage"), "stream_options.include_usage"),
                messages, offeredTools(body), (int) messages.stream().filter(m -> m.role().equals("tool")).count(),
                images(body.path("messages")));
    }

    /** Hashes of the image parts' URLs; an image part without a string {@code image_url.url} is refused. */
    private static List<String> images(JsonNode messages) {
        List<String> images = new ArrayList<>();
        for (JsonNode message : messages) {
            for (JsonNode part : message.path("content")) {
                if ("image_url".equals(part.path("type").asText())) {
                    JsonNode url = part.path("image_url").path("url");
                    if (!url.isTextual()) {
                        throw invalid("an image_url part needs image_url.url as a string");
                    }
                    images.add(sha256(url.textValue()));
                }
            }
        }
        return List.copyOf(images);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Function names of {@code tools}, checked as the real API does; none when {@code tool_choice} is "none". */
    private static List<String> offeredTools(JsonNode body) {
        JsonNode tools = body.path("tools");
        if (tools.isMissingNode() || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw invalid("tools must be an array");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode tool : tools) {
            JsonNode name = tool.path("function").path("name");
            if (!"function".equals(tool.path("type").asText()) || !name.isTextual() || name.textValue().isBlank()) {
                throw invalid("each tool needs type 'function' and a function.name");
            }
            names.add(name.textValue());
        }
        return "none".equals(body.path("tool_choice").asText()) ? List.of() : List.copyOf(names);
    }

    /** The first 80 characters of the first system message, to recognise an agent in the call records. */
    String systemPrompt() {
        return messages.stream()
                .filter(m -> m.role().equals("system"))
                .findFirst()
                .map(m -> m.content().substring(0, Math.min(80, m.content().length())))
                .orElse(null);
    }

    /** The question being asked: the last user message, empty if there is none. */
    String lastUserMessage() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    /** Rough prompt size: the number of whitespace-separated words over all messages. */
    int promptTokens() {
        return messages.stream()
                .map(ChatMessage::content)
                .filter(c -> !c.isBlank())
                .mapToInt(c -> c.trim().split("\\s+").length)
                .sum();
    }

    private static Double temperature(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 2) {
            throw invalid("temperature must be a number between 0 and 2");
        }
        return value.doubleValue();
    }

    private static Integer maxTokens(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw invalid("max_tokens must be a positive integer");
        }
        return value.intValue();
    }

    private static boolean flag(JsonNode value, String name) {
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw invalid(name + " must be a boolean");
        }
        return value.booleanValue();
    }

    private static List<ChatMessage> messages(JsonNode value) {
        if (!value.isArray() || value.isEmpty()) {
            throw invalid("messages must be a non-empty array");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode message : value) {
            JsonNode role = message.path("role");
            if (!role.isTextual()) {
                throw invalid("each message needs a string 'role'");
            }
            messages.add(new ChatMessage(role.textValue(), content(message.path("content"))
                    .orElseThrow(() -> invalid("message content must be a string or an array of parts"))));
        }
        return List.copyOf(messages);
    }

    private static Optional<String> content(JsonNode value) {
        if (value.isTextual()) {
            return Optional.of(value.textValue());
        }
        if (value.isNull()) {
            return Optional.of(""); // assistant messages carrying only tool calls
        }
        if (!value.isArray()) {
            return Optional.empty();
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode part : value) {
            if (!part.path("type").isTextual()) {
                return Optional.empty();
            }
            if (part.path("type").textValue().equals("text")) {
                texts.add(part.path("text").asText(""));
            }
        }
        return Optional.of(String.join("\n", texts));
    }

    private static InvalidRequestException invalid(String message) {
        return new InvalidRequestException("invalid_request", message);
    }
}
