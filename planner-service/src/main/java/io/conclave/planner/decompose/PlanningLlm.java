package io.conclave.planner.decompose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.TokenUsage;
import io.conclave.planner.plan.PlannerConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The planner's one kind of LLM call: a non-streaming OpenAI-compatible chat completion on the Vert.x HTTP
 * client, so the planning call never blocks a thread. It is small on purpose: the planner makes at most two
 * calls per {@code decompose} request and none otherwise; a timeout, an HTTP error or an unreadable body fails
 * the {@code Uni} with {@link PlanningCallException}, which the {@link Decomposer} reports.
 */
@Singleton
public class PlanningLlm {

    /** What one call returned: the text and the tokens it cost. */
    public record Answer(String text, TokenUsage usage) {
    }

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final PlannerConfig.Llm config;

    @Inject
    public PlanningLlm(Vertx vertx, ObjectMapper mapper, PlannerConfig config) {
        this.mapper = mapper;
        this.config = config.llm();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout(5_000)
                        .setIdleTimeout(60),
                new PoolOptions().setHttp1MaxSize(this.config.maxConnections()));
    }

    public Uni<Answer> complete(List<ChatMessage> messages) {
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(config.baseUrl().replaceAll("/+$", "") + "/chat/completions")
                .putHeader("Content-Type", "application/json")
                .setTimeout(config.timeout().toMillis());
        config.apiKey().filter(key -> !key.isBlank())
                .ifPresent(key -> request.putHeader("Authorization", "Bearer " + key));
        Buffer body = Buffer.buffer(body(messages));
        return http.request(request)
                .chain(sent -> sent.send(body))
                .chain(response -> response.body().map(bytes -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new PlanningCallException("the planning call got HTTP " + response.statusCode());
                    }
                    return answer(bytes.toString());
                }))
                .ifNoItem().after(config.timeout()).failWith(
                        () -> new PlanningCallException("the planning call timed out after " + config.timeout()))
                .onFailure(failure -> !(failure instanceof PlanningCallException))
                .transform(failure -> new PlanningCallException("the planning call failed: " + failure.getMessage()));
    }

    public String provider() {
        return config.provider();
    }

    public String model() {
        return config.model();
    }

    private String body(List<ChatMessage> messages) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", config.model());
        body.put("temperature", 0.0);
        body.put("max_tokens", config.maxTokens());
        body.put("stream", false);
        ArrayNode array = body.putArray("messages");
        for (ChatMessage message : messages) {
            array.addObject().put("role", message.role()).put("content", message.content());
        }
        return body.toString();
    }

    private Answer answer(String json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (Exception e) {
            throw new PlanningCallException("the planning call's body is not JSON");
        }
        JsonNode content = root.path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            throw new PlanningCallException("the planning call's reply has no message content");
        }
        JsonNode usage = root.path("usage");
        TokenUsage tokens = usage.isObject()
                ? new TokenUsage(usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong(),
                        usage.path("total_tokens").asLong())
                : new TokenUsage(0, 0, 0);
        return new Answer(content.textValue(), tokens);
    }

    @PreDestroy
    void close() {
        http.closeAndAwait();
    }

    /** A planning call that gave no answer to check. */
    public static final class PlanningCallException extends RuntimeException {
        public PlanningCallException(String message) {
            super(message);
        }
    }
}
