package io.conclave.gateway.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.Strategy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a chat completion body from its raw text, so that every malformed input
 * gets a 400 naming the field at fault instead of whatever a data-binding failure would produce.
 */
@Singleton
public final class ChatRequestParser {

    public static final int MAX_AGENTS = 16;
    public static final int MAX_TOKENS = 32_768;
    public static final long MIN_DEADLINE_MS = 1_000;
    public static final long MAX_DEADLINE_MS = 600_000;

    static final String INVALID_JSON = "invalid_json";
    static final String MISSING_FIELD = "missing_field";
    static final String INVALID_TYPE = "invalid_type";
    static final String INVALID_VALUE = "invalid_value";
    static final String UNSUPPORTED = "unsupported_value";

    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "developer", "tool");
    private static final Map<String, Strategy> STRATEGIES = Map.of(
            "synthesize", Strategy.SYNTHESIZE, "vote", Strategy.VOTE, "decompose", Strategy.DECOMPOSE);
    private static final Set<String> CONCLAVE_OPTIONS = Set.of("agents", "strategy", "deadline_ms", "quorum");

    private final ObjectReader reader;

    @Inject
    public ChatRequestParser(ObjectMapper mapper) {
        this.reader = mapper.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * @throws ApiException a 400 for a malformed body, a 404 for an unknown model
     */
    public ChatRequest parse(String body) {
        JsonNode root = readObject(body);
        PublicModel model = model(root);
        List<ChatMessage> messages = messages(root);
        Integer maxTokens = maxTokens(root);
        Double temperature = optionalNumber(root, "temperature", "temperature", 0, 2);
        boolean stream = Boolean.TRUE.equals(optionalBoolean(root, "stream"));
        if (stream) {
            throw invalid(UNSUPPORTED, "stream", "streaming is not supported yet: send 'stream': false or leave it out");
        }
        JsonNode conclave = optional(root, "conclave");
        if (conclave == null) {
            return new ChatRequest(model, messages, maxTokens, temperature, false, null, null, null, null);
        }
        if (!conclave.isObject()) {
            throw wrongType("conclave", "an object");
        }
        rejectUnknownOptions(conclave);
        Integer agents = optionalInt(conclave, "agents", "conclave.agents", 1, MAX_AGENTS);
        Strategy strategy = strategy(conclave);
        Long deadlineMs = optionalLong(conclave, "deadline_ms", "conclave.deadline_ms", MIN_DEADLINE_MS, MAX_DEADLINE_MS);
        int maxQuorum = agents != null ? agents : MAX_AGENTS;
        Integer quorum = optionalInt(conclave, "quorum", "conclave.quorum", 1, maxQuorum);
        return new ChatRequest(model, messages, maxTokens, temperature, false, agents, strategy, deadlineMs, quorum);
    }

    private JsonNode readObject(String body) {
        if (body == null || body.isBlank()) {
            throw invalid(INVALID_JSON, null, "the request body is empty; expected a JSON object");
        }
        JsonNode root;
        try {
            root = reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid(INVALID_JSON, null, "the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw invalid(INVALID_JSON, null, "the request body is empty; expected a JSON object");
        }
        if (!root.isObject()) {
            throw invalid(INVALID_JSON, null, "the request body must be a JSON object, not " + describe(root));
        }
        return root;
    }

    private static PublicModel model(JsonNode root) {
        JsonNode model = required(root, "model", "model");
        if (!model.isTextual()) {
            throw wrongType("model", "a string");
        }
        return PublicModel.byId(model.textValue()).orElseThrow(() -> new ApiError(404, ApiError.INVALID_REQUEST,
                "model_not_found", "the model '" + model.textValue() + "' does not exist; use one of "
                        + String.join(", ", modelIds()), "model").exception());
    }

    private static List<String> modelIds() {
        return List.of(PublicModel.values()).stream().map(PublicModel::id).toList();
    }

    private static List<ChatMessage> messages(JsonNode root) {
        JsonNode messages = required(root, "messages", "messages");
        if (!messages.isArray()) {
            throw wrongType("messages", "an array of messages");
        }
        if (messages.isEmpty()) {
            throw invalid(INVALID_VALUE, "messages", "'messages' must contain at least one message");
        }
        List<ChatMessage> parsed = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            parsed.add(message(messages.get(i), "messages[" + i + "]"));
        }
        return parsed;
    }

    private static ChatMessage message(JsonNode message, String path) {
        if (!message.isObject()) {
            throw wrongType(path, "an object with 'role' and 'content'");
        }
        JsonNode role = required(message, "role", path + ".role");
        if (!role.isTextual()) {
            throw wrongType(path + ".role", "a string");
        }
        if (!ROLES.contains(role.textValue())) {
            throw invalid(INVALID_VALUE, path + ".role", "'" + path + ".role' must be one of "
                    + "system, user, assistant, developer, tool; got '" + role.textValue() + "'");
        }
        return new ChatMessage(role.textValue(), content(required(message, "content", path + ".content"),
                path + ".content"));
    }

    private static String content(JsonNode content, String path) {
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw wrongType(path, "a string or an array of content parts");
        }
        if (content.isEmpty()) {
            throw invalid(INVALID_VALUE, path, "'" + path + "' must contain at least one content part");
        }
        List<String> texts = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            texts.add(textPart(content.get(i), path + "[" + i + "]"));
        }
        return String.join("\n", texts);
    }

    private static String textPart(JsonNode part, String path) {
        if (!part.isObject()) {
            throw wrongType(path, "a content part object");
        }
        JsonNode type = required(part, "type", path + ".type");
        if (!type.isTextual()) {
            throw wrongType(path + ".type", "a string");
        }
        switch (type.textValue()) {
            case "text" -> {
                JsonNode text = required(part, "text", path + ".text");
                if (!text.isTextual()) {
                    throw wrongType(path + ".text", "a string");
                }
                return text.textValue();
            }
            case "image_url" -> throw invalid(UNSUPPORTED, path, "images are not supported yet ('" + path + "')");
            default -> throw invalid(INVALID_VALUE, path + ".type",
                    "'" + path + ".type' must be 'text'; got '" + type.textValue() + "'");
        }
    }

    private static Integer maxTokens(JsonNode root) {
        Integer maxTokens = optionalInt(root, "max_tokens", "max_tokens", 1, MAX_TOKENS);
        Integer maxCompletionTokens = optionalInt(root, "max_completion_tokens", "max_completion_tokens", 1, MAX_TOKENS);
        return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
    }

    private static Strategy strategy(JsonNode conclave) {
        JsonNode strategy = optional(conclave, "strategy");
        if (strategy == null) {
            return null;
        }
        if (!strategy.isTextual()) {
            throw wrongType("conclave.strategy", "a string");
        }
        Strategy parsed = STRATEGIES.get(strategy.textValue());
        if (parsed == null) {
            throw invalid(INVALID_VALUE, "conclave.strategy",
                    "'conclave.strategy' must be one of synthesize, vote, decompose; got '" + strategy.textValue() + "'");
        }
        return parsed;
    }

    private static void rejectUnknownOptions(JsonNode conclave) {
        for (Iterator<String> names = conclave.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CONCLAVE_OPTIONS.contains(name)) {
                throw invalid(INVALID_VALUE, "conclave." + name, "'conclave." + name
                        + "' is not a known option; use agents, strategy, deadline_ms or quorum");
            }
        }
    }

    private static Integer optionalInt(JsonNode parent, String field, String path, int min, int max) {
        Long value = optionalLong(parent, field, path, min, max);
        return value == null ? null : value.intValue();
    }

    private static Long optionalLong(JsonNode parent, String field, String path, long min, long max) {
        JsonNode node = optional(parent, field);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            throw wrongType(path, "an integer");
        }
        if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw outOfRange(path, node, min, max);
        }
        return node.longValue();
    }

    private static Double optionalNumber(JsonNode parent, String field, String path, double min, double max) {
        JsonNode node = optional(parent, field);
        if (node == null) {
            return null;
        }
        if (!node.isNumber()) {
            throw wrongType(path, "a number");
        }
        double value = node.doubleValue();
        if (!(value >= min && value <= max)) {
            throw outOfRange(path, node, min, max);
        }
        return value;
    }

    private static Boolean optionalBoolean(JsonNode parent, String field) {
        JsonNode node = optional(parent, field);
        if (node == null) {
            return null;
        }
        if (!node.isBoolean()) {
            throw wrongType(field, "a boolean");
        }
        return node.booleanValue();
    }

    /** A field that may be left out; JSON null counts as left out, as in OpenAI's API. */
    private static JsonNode optional(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        return node == null || node.isNull() ? null : node;
    }

    private static JsonNode required(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw invalid(MISSING_FIELD, path, "'" + path + "' is required");
        }
        return node;
    }

    private static ApiException wrongType(String path, String expected) {
        return invalid(INVALID_TYPE, path, "'" + path + "' must be " + expected);
    }

    private static ApiException outOfRange(String path, JsonNode value, Number min, Number max) {
        return invalid(INVALID_VALUE, path, "'" + path + "' must be between " + min + " and " + max + "; got "
                + value.asText());
    }

    private static ApiException invalid(String code, String param, String message) {
        return ApiError.invalid(code, param, message).exception();
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }
}
