package io.conclave.gateway.reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conclave.contracts.AgentReport;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.TokenUsage;
import io.conclave.contracts.ToolCallRecord;
import io.conclave.gateway.api.ApiError;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Maps a {@link RequestCompleted} to the OpenAI {@code chat.completion} a client expects, plus the
 * {@code conclave} object that says how the agents went; a failed or cancelled request becomes an
 * OpenAI-style error that still carries the {@code conclave} object.
 */
@Singleton
public final class ReplyMapper {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * @param model the public model name the client asked for
     * @param created when the gateway received the request
     */
    public Reply map(RequestCompleted result, String model, Instant created) {
        return switch (result.status()) {
            case COMPLETE, PARTIAL -> new Reply(200, completion(result, model, created));
            case FAILED -> error(result, new ApiError(502, "upstream_error", "agents_failed",
                    messageOr(result.error(), "no agent produced a usable answer"), null));
            case CANCELLED -> error(result, new ApiError(409, "request_cancelled", "cancelled",
                    messageOr(result.error(), "the request was cancelled"), null));
        };
    }

    private static ObjectNode completion(RequestCompleted result, String model, Instant created) {
        ObjectNode body = JSON.objectNode();
        body.put("id", "chatcmpl-" + result.correlationId());
        body.put("object", "chat.completion");
        body.put("created", created.getEpochSecond());
        body.put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", result.content() == null ? "" : result.content());
        choice.put("finish_reason", "stop");
        body.set("usage", usage(result.usage()));
        body.set("conclave", conclave(result));
        return body;
    }

    private static Reply error(RequestCompleted result, ApiError error) {
        ObjectNode body = error.body();
        body.set("conclave", conclave(result));
        return new Reply(error.status(), body);
    }

    private static ObjectNode conclave(RequestCompleted result) {
        ObjectNode conclave = JSON.objectNode();
        conclave.put("correlation_id", result.correlationId());
        putIfPresent(conclave, "mode", wireName(result.mode()));
        putIfPresent(conclave, "strategy", wireName(result.strategy()));
        conclave.put("status", wireName(result.status()));
        ArrayNode agents = conclave.putArray("agents");
        List<AgentReport> reports = result.agents() == null ? List.of() : result.agents();
        reports.forEach(report -> agents.add(agent(report)));
        strategyDetails(conclave, result);
        return conclave;
    }

    /** What issue 4's strategies add: calls saved by a vote's early stop, sub-questions, a planning fallback, compression. */
    private static void strategyDetails(ObjectNode conclave, RequestCompleted result) {
        if (result.callsSaved() != null) {
            conclave.put("calls_saved", result.callsSaved().longValue());
        }
        if (result.subQuestions() != null) {
            ArrayNode questions = conclave.putArray("sub_questions");
            result.subQuestions().forEach(questions::add);
        }
        putIfPresent(conclave, "note", result.note());
        if (result.compression() != null) {
            ObjectNode compression = conclave.putObject("compression");
            compression.put("output_tokens", result.compression().outputTokens());
            compression.put("notes_tokens", result.compression().notesTokens());
            compression.put("saved_tokens", result.compression().savedTokens());
        }
    }

    private static ObjectNode agent(AgentReport report) {
        ObjectNode agent = JSON.objectNode();
        putIfPresent(agent, "id", report.agentId());
        putIfPresent(agent, "role", report.role());
        putIfPresent(agent, "provider", report.provider());
        putIfPresent(agent, "model", report.model());
        putIfPresent(agent, "status", wireName(report.status()));
        putIfPresent(agent, "latency_ms", report.latencyMs());
        if (report.usage() != null) {
            agent.set("usage", usage(report.usage()));
        }
        putIfPresent(agent, "notes_tokens", report.notesTokens());
        putIfPresent(agent, "output_tokens", report.outputTokens());
        putIfPresent(agent, "answer", report.answer());
        putIfPresent(agent, "reason", report.reason());
        if (report.tools() != null && !report.tools().isEmpty()) {
            agent.set("tools", tools(report.tools()));
        }
        return agent;
    }

    /** The agent's tool calls as the worker compressed them (issue 5): tool, arguments, result, ok, latency. */
    private static ArrayNode tools(List<ToolCallRecord> calls) {
        ArrayNode tools = JSON.arrayNode();
        for (ToolCallRecord call : calls) {
            ObjectNode node = tools.addObject();
            putIfPresent(node, "tool", call.tool());
            putIfPresent(node, "arguments", call.arguments());
            putIfPresent(node, "result", call.result());
            node.put("ok", call.ok());
            node.put("latency_ms", call.latencyMs());
        }
        return tools;
    }

    private static ObjectNode usage(TokenUsage usage) {
        ObjectNode node = JSON.objectNode();
        node.put("prompt_tokens", usage == null ? 0 : usage.promptTokens());
        node.put("completion_tokens", usage == null ? 0 : usage.completionTokens());
        node.put("total_tokens", usage == null ? 0 : usage.totalTokens());
        return node;
    }

    /** The enums' wire names are their lower-case names (see their {@code @JsonProperty}). */
    private static String wireName(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    private static void putIfPresent(ObjectNode node, String field, Object value) {
        if (value instanceof String text) {
            node.put(field, text);
        } else if (value instanceof Long number) {
            node.put(field, number);
        } else if (value instanceof JsonNode json) {
            node.set(field, json);
        }
    }

    private static String messageOr(String message, String fallback) {
        return message == null || message.isBlank() ? fallback : message;
    }
}
