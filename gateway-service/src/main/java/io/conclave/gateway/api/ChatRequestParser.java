package io.conclave.gateway.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.conclave.contracts.AgentChoice;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ContentPart;
import io.conclave.contracts.Strategy;
import io.conclave.gateway.GatewayConfig;
import io.conclave.gateway.image.ImageLimits;
import io.conclave.gateway.image.ImageRejected;
import io.conclave.gateway.image.ImageValidator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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
    private static final Set<String> AGENT_FIELDS = Set.of("role", "model", "provider");
    private static final Pattern AGENT_NAME = Pattern.compile("[\\p{L}\\p{N} ._:/-]{1,64}");
    private static final Set<String> CONCLAVE_OPTIONS = Set.of("agents", "strategy", "deadline_ms", "quorum");

    private static final Set<String> DETAILS = Set.of("auto", "low", "high");

    private final ObjectReader reader;
    private final ImageValidator images;

    @Inject
    public ChatRequestParser(ObjectMapper mapper, GatewayConfig config) {
        this(mapper, new ImageValidator(new ImageLimits(config.images().maxBytes().asLongValue(),
                config.images().maxTotalBytes().asLongValue(), config.images().maxCount())));
    }

    public ChatRequestParser(ObjectMapper mapper, ImageValidator images) {
        this.reader = mapper.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.images = images;
    }

    /**
     * @throws ApiException a 400 for a malformed body, a 404 for an unknown model, a 413 for images over a limit
     */
    public ChatRequest parse(String body) {
        JsonNode root = readObject(body);
        String modelName = modelName(root);
        PublicModel model = model(modelName, reasoningEffort(root));
        List<ChatMessage> messages = messages(root, images.budget());
        Integer maxTokens = maxTokens(root);
        Double temperature = optionalNumber(root, "temperature", "temperature", 0, 2);
        boolean stream = Boolean.TRUE.equals(optionalBoolean(root, "stream"));
        boolean includeUsage = includeUsage(root, stream);
        JsonNode conclave = optional(root, "conclave");
        if (conclave == null) {
            return new ChatRequest(model, modelName, messages, maxTokens, temperature, stream, includeUsage, null, null,
                    null, null);
        }
        if (!conclave.isObject()) {
            throw wrongType("conclave", "an object");
        }
        rejectUnknownOptions(conclave);
        List<AgentChoice> agentChoices = agentChoices(conclave);
        Integer agents = agentChoices != null ? Integer.valueOf(agentChoices.size())
                : optionalInt(conclave, "agents", "conclave.agents", 1, MAX_AGENTS);
        Strategy strategy = strategy(conclave);
        Long deadlineMs = optionalLong(conclave, "deadline_ms", "conclave.deadline_ms", MIN_DEADLINE_MS, MAX_DEADLINE_MS);
        int maxQuorum = agents != null ? agents : MAX_AGENTS;
        Integer quorum = optionalInt(conclave, "quorum", "conclave.quorum", 1, maxQuorum);
        return new ChatRequest(model, modelName, messages, maxTokens, temperature, stream, includeUsage, agents, strategy,
                deadlineMs, quorum, agentChoices);
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

    private static String modelName(JsonNode root) {
        JsonNode model = required(root, "model", "model");
        if (!model.isTextual()) {
            throw wrongType("model", "a string");
        }
        return model.textValue();
    }

    /**
     * The mode: by model name, or for the model {@code conclave} by {@code reasoning_effort} (minimal and low →
     * instant, medium or none given → thinking, high → contemplating). With a named model the effort is
     * validated but the name decides.
     */
    private static PublicModel model(String name, String effort) {
        if (PublicModel.GENERIC_ID.equals(name)) {
            return effort == null ? PublicModel.THINKING : PublicModel.byEffort(effort);
        }
        return PublicModel.byId(name).orElseThrow(() -> new ApiError(404, ApiError.INVALID_REQUEST,
                "model_not_found", "the model '" + name + "' does not exist; use one of "
                        + String.join(", ", modelIds()) + ", or '" + PublicModel.GENERIC_ID
                        + "' with reasoning_effort", "model").exception());
    }

    private static String reasoningEffort(JsonNode root) {
        JsonNode effort = optional(root, "reasoning_effort");
        if (effort == null) {
            return null;
        }
        if (!effort.isTextual()) {
            throw wrongType("reasoning_effort", "a string");
        }
        if (!PublicModel.EFFORTS.contains(effort.textValue())) {
            throw invalid(INVALID_VALUE, "reasoning_effort", "'reasoning_effort' must be one of minimal, low, medium,"
                    + " high; got '" + effort.textValue() + "'");
        }
        return effort.textValue();
    }

    private static boolean includeUsage(JsonNode root, boolean stream) {
        JsonNode options = optional(root, "stream_options");
        if (options == null) {
            return false;
        }
        if (!options.isObject()) {
            throw wrongType("stream_options", "an object");
        }
        if (!stream) {
            throw invalid(INVALID_VALUE, "stream_options", "'stream_options' is only allowed with 'stream': true");
        }
        JsonNode usage = optional(options, "include_usage");
        if (usage != null && !usage.isBoolean()) {
            throw wrongType("stream_options.include_usage", "a boolean");
        }
        return usage != null && usage.booleanValue();
    }

    private static List<String> modelIds() {
        return List.of(PublicModel.values()).stream().map(PublicModel::id).toList();
    }

    private static List<ChatMessage> messages(JsonNode root, ImageValidator.Budget budget) {
        JsonNode messages = required(root, "messages", "messages");
        if (!messages.isArray()) {
            throw wrongType("messages", "an array of messages");
        }
        if (messages.isEmpty()) {
            throw invalid(INVALID_VALUE, "messages", "'messages' must contain at least one message");
        }
        List<ChatMessage> parsed = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            parsed.add(message(messages.get(i), "messages[" + i + "]", budget));
        }
        return parsed;
    }

    private static ChatMessage message(JsonNode message, String path, ImageValidator.Budget budget) {
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
        return content(role.textValue(), required(message, "content", path + ".content"), path + ".content", budget);
    }

    /** A string, or content parts: text parts only give a text message; with an image the parts are kept. */
    private static ChatMessage content(String role, JsonNode content, String path, ImageValidator.Budget budget) {
        if (content.isTextual()) {
            return new ChatMessage(role, content.textValue());
        }
        if (!content.isArray()) {
            throw wrongType(path, "a string or an array of content parts");
        }
        if (content.isEmpty()) {
            throw invalid(INVALID_VALUE, path, "'" + path + "' must contain at least one content part");
        }
        List<ContentPart> parts = new ArrayList<>(content.size());
        List<String> texts = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            ContentPart part = part(content.get(i), path + "[" + i + "]", budget);
            parts.add(part);
            if (part.text() != null) {
                texts.add(part.text());
            }
        }
        boolean hasImages = parts.stream().anyMatch(part -> part.text() == null);
        if (hasImages && !"user".equals(role)) {
            throw invalid(INVALID_VALUE, path, "'" + path + "' may hold images only in a user message");
        }
        return new ChatMessage(role, String.join("\n", texts), hasImages ? List.copyOf(parts) : null);
    }

    private static ContentPart part(JsonNode part, String path, ImageValidator.Budget budget) {
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
                return new ContentPart(ContentPart.TEXT, text.textValue(), null, null, null);
            }
            case "image_url" -> {
                return imagePart(part, path, budget);
            }
            default -> throw invalid(INVALID_VALUE, path + ".type",
                    "'" + path + ".type' must be 'text' or 'image_url'; got '" + type.textValue() + "'");
        }
    }

    /** {@code {"type": "image_url", "image_url": {"url": ..., "detail": ...}}}, checked by the image validator. */
    private static ContentPart imagePart(JsonNode part, String path, ImageValidator.Budget budget) {
        String imagePath = path + ".image_url";
        JsonNode image = required(part, "image_url", imagePath);
        if (!image.isObject()) {
            throw wrongType(imagePath, "an object with 'url' and optionally 'detail'");
        }
        JsonNode url = required(image, "url", imagePath + ".url");
        if (!url.isTextual()) {
            throw wrongType(imagePath + ".url", "a string");
        }
        JsonNode detail = optional(image, "detail");
        if (detail != null && (!detail.isTextual() || !DETAILS.contains(detail.textValue()))) {
            throw invalid(INVALID_VALUE, imagePath + ".detail", "'" + imagePath + ".detail' must be one of auto, low,"
                    + " high");
        }
        try {
            budget.check(url.textValue(), imagePath + ".url");
        } catch (ImageRejected e) {
            throw (e.reason() == ImageRejected.Reason.TOO_LARGE
                    ? new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large", e.getMessage(), e.param())
                    : ApiError.invalid(INVALID_VALUE, e.param(), e.getMessage())).exception();
        }
        return new ContentPart(ContentPart.IMAGE_URL, null, url.textValue(), detail == null ? null : detail.textValue(),
                null);
    }

    private static Integer maxTokens(JsonNode root) {
        Integer maxTokens = optionalInt(root, "max_tokens", "max_tokens", 1, MAX_TOKENS);
        Integer maxCompletionTokens = optionalInt(root, "max_completion_tokens", "max_completion_tokens", 1, MAX_TOKENS);
        return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
    }

    /**
     * {@code conclave.agents} as a list: 1..{@value #MAX_AGENTS} objects with a {@code role} (a name of up to 64
     * letters, digits, spaces, {@code -} or {@code _}) and optionally {@code model} and {@code provider}. Null when
     * {@code agents} is absent or a number.
     */
    private static List<AgentChoice> agentChoices(JsonNode conclave) {
        JsonNode agents = optional(conclave, "agents");
        if (agents == null || !agents.isArray()) {
            return null;
        }
        if (agents.isEmpty() || agents.size() > MAX_AGENTS) {
            throw invalid(INVALID_VALUE, "conclave.agents", "'conclave.agents' must list 1 to " + MAX_AGENTS
                    + " agents; got " + agents.size());
        }
        List<AgentChoice> choices = new ArrayList<>(agents.size());
        for (int i = 0; i < agents.size(); i++) {
            String path = "conclave.agents[" + i + "]";
            JsonNode agent = agents.get(i);
            if (!agent.isObject()) {
                throw wrongType(path, "an object with 'role' and optionally 'model' and 'provider'");
            }
            for (Iterator<String> names = agent.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!AGENT_FIELDS.contains(name)) {
                    throw invalid(INVALID_VALUE, path + "." + name, "'" + path + "." + name
                            + "' is not a known field; use role, model or provider");
                }
            }
            choices.add(new AgentChoice(name(agent, "role", path, true), name(agent, "model", path, false),
                    name(agent, "provider", path, false)));
        }
        return List.copyOf(choices);
    }

    private static String name(JsonNode agent, String field, String path, boolean required) {
        JsonNode node = required ? required(agent, field, path + "." + field) : optional(agent, field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(path + "." + field, "a string");
        }
        if (!AGENT_NAME.matcher(node.textValue()).matches()) {
            throw invalid(INVALID_VALUE, path + "." + field, "'" + path + "." + field
                    + "' must be 1 to 64 letters, digits, spaces, '.', ':', '/', '-' or '_'");
        }
        return node.textValue();
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
