package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A client's request, validated by the gateway. Options the client left out are null; the
 * planner fills them from its per-mode defaults.
 *
 * @param model the public model name the client asked for ({@code conclave-contemplating}, …)
 * @param agents number of agents asked for, or null
 * @param deadlineMs the request's whole time budget in milliseconds, or null
 * @param maxTokens the client's {@code max_tokens} for the final answer, or null
 * @param agentChoices the agents the client named one by one ({@code conclave.agents} as a list), or null;
 *     when present, {@code agents} is its size
 * @param watched whether a client watches the request's progress (a stream, or an async request); false for a
 *     plain call, whose agents then publish no progress records; null (older records) means true
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RequestSubmitted(
        String correlationId,
        String eventId,
        Instant occurredAt,
        int schemaVersion,
        String tenantId,
        String model,
        Mode mode,
        List<ChatMessage> messages,
        Integer agents,
        Strategy strategy,
        Long deadlineMs,
        Integer quorum,
        Integer maxTokens,
        Double temperature,
        boolean stream,
        List<AgentChoice> agentChoices,
        Boolean watched) implements ConclaveEvent {

    /** A request without the watched flag (the shape before it existed): watched. */
    public RequestSubmitted(String correlationId, String eventId, Instant occurredAt, int schemaVersion,
            String tenantId, String model, Mode mode, List<ChatMessage> messages, Integer agents, Strategy strategy,
            Long deadlineMs, Integer quorum, Integer maxTokens, Double temperature, boolean stream,
            List<AgentChoice> agentChoices) {
        this(correlationId, eventId, occurredAt, schemaVersion, tenantId, model, mode, messages, agents, strategy,
                deadlineMs, quorum, maxTokens, temperature, stream, agentChoices, null);
    }

    /** A request whose agents are only counted (the shape before agents could be named). */
    public RequestSubmitted(String correlationId, String eventId, Instant occurredAt, int schemaVersion,
            String tenantId, String model, Mode mode, List<ChatMessage> messages, Integer agents, Strategy strategy,
            Long deadlineMs, Integer quorum, Integer maxTokens, Double temperature, boolean stream) {
        this(correlationId, eventId, occurredAt, schemaVersion, tenantId, model, mode, messages, agents, strategy,
                deadlineMs, quorum, maxTokens, temperature, stream, null, null);
    }
}
