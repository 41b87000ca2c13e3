package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The planner's decision for one request, written to {@code conclave.join} with its sub-tasks;
 * it tells the aggregator how many partials to expect and when to stop waiting.
 *
 * @param agentsDeadline when the join goes on with the agents that answered
 * @param deadline when the whole request must be answered (synthesis included)
 * @param synthesis the agent that composes the final answer, or null when one agent's answer is the reply
 * @param quorum how many agreeing answers stop a vote early, or null when not voting
 * @param minSuccessful how many agents must answer for the join to produce a reply
 * @param subQuestions {@code decompose}: the sub-questions the agents answer, in agent order; else null
 * @param planning the planner's own LLM call ({@code decompose}), or null when planning took none
 * @param watched as {@link RequestSubmitted#watched()}: false when nobody watches the request's progress
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanCreated(
        String correlationId,
        String eventId,
        Instant occurredAt,
        int schemaVersion,
        String tenantId,
        String model,
        Mode mode,
        Strategy strategy,
        List<ChatMessage> messages,
        List<AgentSpec> agents,
        AgentSpec synthesis,
        Integer quorum,
        int minSuccessful,
        Instant submittedAt,
        Instant agentsDeadline,
        Instant deadline,
        List<String> subQuestions,
        PlanningReport planning,
        Boolean watched) implements JoinEvent {

    /** A plan without the watched flag (the shape before it existed): watched. */
    public PlanCreated(String correlationId, String eventId, Instant occurredAt, int schemaVersion, String tenantId,
            String model, Mode mode, Strategy strategy, List<ChatMessage> messages, List<AgentSpec> agents,
            AgentSpec synthesis, Integer quorum, int minSuccessful, Instant submittedAt, Instant agentsDeadline,
            Instant deadline, List<String> subQuestions, PlanningReport planning) {
        this(correlationId, eventId, occurredAt, schemaVersion, tenantId, model, mode, strategy, messages, agents,
                synthesis, quorum, minSuccessful, submittedAt, agentsDeadline, deadline, subQuestions, planning, null);
    }

    /** A plan made without an LLM call (the shape before {@code decompose} planned with one). */
    public PlanCreated(String correlationId, String eventId, Instant occurredAt, int schemaVersion, String tenantId,
            String model, Mode mode, Strategy strategy, List<ChatMessage> messages, List<AgentSpec> agents,
            AgentSpec synthesis, Integer quorum, int minSuccessful, Instant submittedAt, Instant agentsDeadline,
            Instant deadline) {
        this(correlationId, eventId, occurredAt, schemaVersion, tenantId, model, mode, strategy, messages, agents,
                synthesis, quorum, minSuccessful, submittedAt, agentsDeadline, deadline, null, null);
    }
}
