package io.conclave.aggregator.join;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.conclave.contracts.AgentSpec;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.RequestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One request's join as the aggregator stores it (JSON in the changelogged {@code joins} store):
 * internal to this service, never on a wire topic, so it may change with the join rules.
 *
 * @param plan null while partials wait for their plan
 * @param agents outcomes of agent sub-tasks, first report per sub-task, in arrival order
 * @param synthesis the synthesis' outcome, null until it reports
 * @param since when the current phase began
 * @param status how the request ended, null until {@link Phase#CLOSED}
 * @param traceparent the W3C trace context the plan came with, so that what the join publishes later (at a
 *     deadline, after a restart) stays in the request's trace; null when the plan had none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JoinState(
        String correlationId,
        Phase phase,
        PlanCreated plan,
        List<Outcome> agents,
        Outcome synthesis,
        Instant since,
        RequestStatus status,
        String traceparent) {

    /** Where a join is in its life; each phase has one due time for the punctuator. */
    public enum Phase {
        /** Partials came before their plan (should not happen): held until the plan arrives. */
        AWAITING_PLAN,
        /** Waiting for the plan's agents until every one reported or the agents' deadline passed. */
        COLLECTING,
        /** Agents released; waiting for the synthesis until the request's deadline. */
        SYNTHESIZING,
        /** Result published; kept to absorb duplicates and late partials, then deleted. */
        CLOSED
    }

    public JoinState {
        agents = List.copyOf(agents);
    }

    static JoinState awaitingPlan(String correlationId, Outcome first, Instant now) {
        return new JoinState(correlationId, Phase.AWAITING_PLAN, null, List.of(first), null, now, null, null);
    }

    static JoinState collecting(PlanCreated plan, List<Outcome> early, Instant now) {
        return new JoinState(plan.correlationId(), Phase.COLLECTING, plan, early, null, now, null, null);
    }

    /**
     * When the punctuator must look at this join again: the agents' deadline, the request's
     * deadline, or the end of the retention of a held or closed join.
     */
    public Instant dueAt(Duration retention) {
        return switch (phase) {
            case AWAITING_PLAN, CLOSED -> since.plus(retention);
            case COLLECTING -> plan.agentsDeadline();
            case SYNTHESIZING -> plan.deadline();
        };
    }

    JoinState withAgent(Outcome outcome) {
        List<Outcome> more = new ArrayList<>(agents);
        more.add(outcome);
        return new JoinState(correlationId, phase, plan, more, synthesis, since, status, traceparent);
    }

    JoinState synthesizing(Instant now) {
        return new JoinState(correlationId, Phase.SYNTHESIZING, plan, agents, synthesis, now, null, traceparent);
    }

    JoinState withSynthesis(Outcome outcome) {
        return new JoinState(correlationId, phase, plan, agents, outcome, since, status, traceparent);
    }

    JoinState closed(RequestStatus result, Instant now) {
        return new JoinState(correlationId, Phase.CLOSED, plan, agents, synthesis, now, result, traceparent);
    }

    /** The same join, remembering the trace context of its plan. */
    public JoinState withTraceparent(String context) {
        return new JoinState(correlationId, phase, plan, agents, synthesis, since, status, context);
    }

    boolean recorded(String subtaskId) {
        return agentOutcome(subtaskId).isPresent()
                || synthesis != null && subtaskId.equals(synthesis.subtaskId());
    }

    Optional<Outcome> agentOutcome(String subtaskId) {
        return agents.stream().filter(o -> subtaskId.equals(o.subtaskId())).findFirst();
    }

    boolean everyAgentReported() {
        return plan.agents().stream().allMatch(a -> agentOutcome(a.subtaskId()).isPresent());
    }

    boolean everyAgentCompleted() {
        return plan.agents().stream().allMatch(a -> agentOutcome(a.subtaskId()).map(Outcome::completed).orElse(false));
    }

    /** The plan's agents that completed, in plan order. */
    List<AgentSpec> completedAgents() {
        return plan.agents().stream()
                .filter(a -> agentOutcome(a.subtaskId()).map(Outcome::completed).orElse(false))
                .toList();
    }
}
