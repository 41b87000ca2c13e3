package io.conclave.aggregator.join;

import io.conclave.contracts.AgentSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The error messages of failed joins: each names the agents that were late or failed, and why. */
final class Failures {

    static final String SYNTHESIS_LATE = "the synthesis did not answer before the request's deadline";
    static final String NOTHING_TO_VOTE_ON = "no agent gave a final answer to vote on";
    static final String NO_TIME_FOR_SYNTHESIS = "the request's deadline passed before the synthesis could start";

    private Failures() {
    }

    /** Fewer agents answered than the plan needs. */
    static String notEnoughAnswers(JoinState state, int needed) {
        List<AgentSpec> planned = state.plan().agents();
        int answered = state.completedAgents().size();
        List<String> late = lateAgents(state);
        String details = details(late, failedAgents(state));
        if (answered == 0 && !late.isEmpty()) {
            return "no agent answered before the deadline (" + details + ")";
        }
        if (answered == 0 && planned.size() == 1) {
            AgentSpec only = planned.get(0);
            return "agent " + label(only) + " failed: " + reasonOf(state, only);
        }
        if (answered == 0) {
            return planned.isEmpty() ? "the plan has no agents" : "every agent failed (" + details + ")";
        }
        return "only " + answered + " of " + planned.size() + " agents answered, " + needed + " needed ("
                + details + ")";
    }

    static String synthesisFailed(String reason) {
        return "synthesis failed: " + reason;
    }

    /** Appended to a failure that happened after a release at the deadline, so the late are named. */
    static String withLate(String message, JoinState state) {
        List<String> late = lateAgents(state);
        return late.isEmpty() ? message : message + " (late: " + String.join(", ", late) + ")";
    }

    /** Agents of the plan that had not reported when the join was released. */
    static List<String> lateAgents(JoinState state) {
        return state.plan().agents().stream()
                .filter(a -> state.agentOutcome(a.subtaskId()).isEmpty())
                .map(Failures::label)
                .toList();
    }

    private static List<String> failedAgents(JoinState state) {
        return state.plan().agents().stream()
                .filter(a -> state.agentOutcome(a.subtaskId()).map(o -> !o.completed()).orElse(false))
                .map(a -> label(a) + ": " + reasonOf(state, a))
                .toList();
    }

    private static String details(List<String> late, List<String> failed) {
        List<String> parts = new ArrayList<>(2);
        if (!late.isEmpty()) {
            parts.add("late: " + String.join(", ", late));
        }
        if (!failed.isEmpty()) {
            parts.add("failed: " + String.join("; ", failed));
        }
        return parts.stream().collect(Collectors.joining("; "));
    }

    /** An agent as a person reading the error knows it: its ID and role, as the reply's agents list shows them. */
    private static String label(AgentSpec agent) {
        return agent.role() == null ? agent.agentId() : agent.agentId() + " (" + agent.role() + ")";
    }

    private static String reasonOf(JoinState state, AgentSpec agent) {
        Optional<Outcome> outcome = state.agentOutcome(agent.subtaskId());
        return outcome.map(Outcome::reason).orElse("missed the agents' deadline");
    }
}
