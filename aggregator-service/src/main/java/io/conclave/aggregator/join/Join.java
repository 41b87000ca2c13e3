package io.conclave.aggregator.join;

import io.conclave.aggregator.synthesis.SynthesisAssignment;
import io.conclave.aggregator.vote.Ballot;
import io.conclave.contracts.AgentNotes;
import io.conclave.contracts.AgentSpec;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.RequestCancelled;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.SubtaskCompleted;
import io.conclave.contracts.SubtaskFailed;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.SubtaskKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The join rules of docs/architecture.md step 4 as a pure function: (state, event or clock tick)
 * → (new state, effects). The topology only loads and stores the state and forwards the effects,
 * so every rule is tested here without Kafka.
 *
 * <p>Only a clock tick releases a join at a deadline: an event is counted whenever it comes while
 * its join is open, and {@code now} merely stamps what the event produces. The one exception is that
 * no synthesis is asked for once the request's own deadline has passed.
 */
public final class Join {

    private final Duration closedRetention;

    /** @param closedRetention how long held partials and closed joins stay to absorb duplicates and late partials */
    public Join(Duration closedRetention) {
        this.closedRetention = closedRetention;
    }

    /** Why the event cannot be joined at all (a poison record for the dead-letter topic), if so. */
    public static Optional<String> problemWith(JoinEvent event) {
        if (event.correlationId() == null) {
            return Optional.of("no correlationId");
        }
        if (event instanceof PlanCreated plan) {
            if (plan.agents() == null || plan.agentsDeadline() == null || plan.deadline() == null) {
                return Optional.of("plan without agents or deadlines");
            }
            if (plan.agents().stream().anyMatch(a -> a == null || a.subtaskId() == null)
                    || plan.synthesis() != null && plan.synthesis().subtaskId() == null) {
                return Optional.of("plan with an agent that has no subtaskId");
            }
            return Optional.empty();
        }
        String subtaskId = event instanceof SubtaskCompleted done ? done.subtaskId()
                : ((SubtaskFailed) event).subtaskId();
        return subtaskId == null ? Optional.of("partial without subtaskId") : Optional.empty();
    }

    /**
     * Applies one event of {@code conclave.join}.
     *
     * @param state the stored join, or null when there is none
     * @param event an event for which {@link #problemWith} found nothing
     */
    public Decision onEvent(JoinState state, JoinEvent event, Instant now) {
        if (event instanceof PlanCreated plan) {
            return onPlan(state, plan, now);
        }
        if (event instanceof SubtaskCompleted done) {
            return onPartial(state, done.correlationId(), Outcome.of(done), done.kind(), now);
        }
        SubtaskFailed failed = (SubtaskFailed) event;
        return onPartial(state, failed.correlationId(), Outcome.of(failed), failed.kind(), now);
    }

    /** Applies the wall clock: releases or fails a join whose deadline passed, deletes an expired one. */
    public Decision onTick(JoinState state, Instant now) {
        if (now.isBefore(state.dueAt(closedRetention))) {
            return Decision.none(state);
        }
        return switch (state.phase()) {
            case AWAITING_PLAN -> Decision.delete(new Effect.Orphaned(state.agents().size()));
            case COLLECTING -> release(state, now, new ArrayList<>());
            case SYNTHESIZING -> close(state, RequestStatus.FAILED, null, Failures.SYNTHESIS_LATE, now,
                    new ArrayList<>());
            case CLOSED -> Decision.delete();
        };
    }

    private Decision onPlan(JoinState state, PlanCreated plan, Instant now) {
        if (state != null && state.plan() != null) {
            return Decision.none(state, new Effect.Duplicate("plan"));
        }
        List<Effect> effects = new ArrayList<>();
        List<Outcome> early = new ArrayList<>();
        for (Outcome held : state == null ? List.<Outcome>of() : state.agents()) {
            if (isAgentOf(plan, held.subtaskId())) {
                early.add(held);
            } else {
                effects.add(new Effect.Ignored(held.subtaskId(), "not a sub-task of the plan"));
            }
        }
        return afterCount(JoinState.collecting(plan, early, now), now, effects);
    }

    private Decision onPartial(JoinState state, String correlationId, Outcome outcome, SubtaskKind kind,
            Instant now) {
        String subtaskId = outcome.subtaskId();
        if (state == null) {
            return kind == SubtaskKind.SYNTHESIS
                    ? Decision.none(null, new Effect.Late(subtaskId, "no open join"))
                    : Decision.put(JoinState.awaitingPlan(correlationId, outcome, now),
                            List.of(new Effect.Held(subtaskId)));
        }
        if (state.recorded(subtaskId)) {
            return Decision.none(state, new Effect.Duplicate(subtaskId));
        }
        return switch (state.phase()) {
            case AWAITING_PLAN -> kind == SubtaskKind.SYNTHESIS
                    ? Decision.none(state, new Effect.Late(subtaskId, "no open join"))
                    : Decision.put(state.withAgent(outcome), List.of(new Effect.Held(subtaskId)));
            case COLLECTING -> isAgentOf(state.plan(), subtaskId)
                    ? afterCount(state.withAgent(outcome), now, new ArrayList<>())
                    : Decision.none(state, new Effect.Ignored(subtaskId, "not an agent of the plan"));
            case SYNTHESIZING -> isSynthesisOf(state.plan(), subtaskId)
                    ? onSynthesis(state.withSynthesis(outcome), now)
                    : Decision.none(state, lateOrIgnored(state, subtaskId, "the agents were released"));
            case CLOSED -> Decision.none(state, lateOrIgnored(state, subtaskId, "the join is closed"));
        };
    }

    private static Effect lateOrIgnored(JoinState state, String subtaskId, String why) {
        return isAgentOf(state.plan(), subtaskId) || isSynthesisOf(state.plan(), subtaskId)
                ? new Effect.Late(subtaskId, why)
                : new Effect.Ignored(subtaskId, "not a sub-task of the plan");
    }

    /**
     * After a partial was counted: a vote whose leading answer reached the quorum stops early; any join whose
     * agents all reported is released; otherwise it waits.
     */
    private Decision afterCount(JoinState state, Instant now, List<Effect> effects) {
        PlanCreated plan = state.plan();
        if (plan.strategy() == Strategy.VOTE && plan.quorum() != null && !state.everyAgentReported()) {
            Ballot ballot = ballotOf(state);
            if (ballot.topVotes() >= Math.max(1, plan.quorum())
                    && state.completedAgents().size() >= Math.max(1, plan.minSuccessful())) {
                return stopEarly(state, ballot, now, effects);
            }
        }
        return state.everyAgentReported() ? release(state, now, effects) : Decision.put(state, effects);
    }

    /**
     * A quorum agrees: the result goes out now, and a {@code RequestCancelled} tells the workers to drop the
     * request's queued sub-tasks and abort its calls in flight. Its event ID is derived, like the result's.
     */
    private Decision stopEarly(JoinState state, Ballot ballot, Instant now, List<Effect> effects) {
        Ballot.Leader leader = ballot.leader().orElseThrow();
        PlanCreated plan = state.plan();
        String reason = "decided early: " + leader.votes() + " of " + plan.agents().size()
                + " agents agreed (quorum " + plan.quorum() + ")";
        String eventId = UUID.nameUUIDFromBytes((plan.correlationId() + "/early-stop")
                .getBytes(StandardCharsets.UTF_8)).toString();
        effects.add(new Effect.Cancel(new RequestCancelled(plan.correlationId(), eventId, now,
                ConclaveEvent.SCHEMA_VERSION, reason)));
        effects.add(new Effect.Publish(Results.of(state, RequestStatus.COMPLETE, leader.answer(), null, now, true)));
        return Decision.put(state.closed(RequestStatus.COMPLETE, now), effects);
    }

    private static Ballot ballotOf(JoinState state) {
        return new Ballot(state.completedAgents().stream()
                .map(agent -> new Ballot.Vote(agent.agentId(), state.agentOutcome(agent.subtaskId())
                        .orElseThrow().answer()))
                .toList());
    }

    /**
     * Goes on with the agents that reported: the answer itself for a plan without synthesis, else
     * the synthesis sub-task; a failure when fewer than {@code minSuccessful} answered.
     */
    private Decision release(JoinState state, Instant now, List<Effect> effects) {
        PlanCreated plan = state.plan();
        List<AgentSpec> answered = state.completedAgents();
        int needed = Math.max(1, plan.minSuccessful());
        if (answered.size() < needed) {
            return close(state, RequestStatus.FAILED, null, Failures.notEnoughAnswers(state, needed), now, effects);
        }
        RequestStatus status = state.everyAgentCompleted() ? RequestStatus.COMPLETE : RequestStatus.PARTIAL;
        if (plan.strategy() == Strategy.VOTE) {
            return ballotOf(state).leader()
                    .map(leader -> close(state, status, leader.answer(), null, now, effects))
                    .orElseGet(() -> close(state, RequestStatus.FAILED, null, Failures.NOTHING_TO_VOTE_ON, now,
                            effects));
        }
        if (plan.synthesis() == null) {
            String answer = state.agentOutcome(answered.get(0).subtaskId()).orElseThrow().answer();
            return close(state, status, answer, null, now, effects);
        }
        if (!now.isBefore(plan.deadline())) {
            return close(state, RequestStatus.FAILED, null, Failures.withLate(Failures.NO_TIME_FOR_SYNTHESIS, state),
                    now, effects);
        }
        List<AgentNotes> notes = answered.stream().map(agent -> notesOf(state, agent)).toList();
        effects.add(new Effect.Assign(SynthesisAssignment.of(plan, notes, now)));
        return Decision.put(state.synthesizing(now), effects);
    }

    private Decision onSynthesis(JoinState state, Instant now) {
        Outcome synthesis = state.synthesis();
        if (!synthesis.completed()) {
            return close(state, RequestStatus.FAILED, null, Failures.synthesisFailed(synthesis.reason()), now,
                    new ArrayList<>());
        }
        RequestStatus status = state.everyAgentCompleted() ? RequestStatus.COMPLETE : RequestStatus.PARTIAL;
        return close(state, status, synthesis.answer(), null, now, new ArrayList<>());
    }

    private Decision close(JoinState state, RequestStatus status, String content, String error, Instant now,
            List<Effect> effects) {
        effects.add(new Effect.Publish(Results.of(state, status, content, error, now, false)));
        return Decision.put(state.closed(status, now), effects);
    }

    /** A {@code decompose} agent's notes start with the sub-question it answered, so the composer knows. */
    private static AgentNotes notesOf(JoinState state, AgentSpec agent) {
        Outcome outcome = state.agentOutcome(agent.subtaskId()).orElseThrow();
        List<String> questions = state.plan().subQuestions();
        int index = state.plan().agents().indexOf(agent);
        String notes = questions != null && index >= 0 && index < questions.size()
                ? "Sub-question: " + questions.get(index) + "\n" + (outcome.notes() == null ? "" : outcome.notes())
                : outcome.notes();
        return new AgentNotes(agent.agentId(), agent.role(), outcome.answer(), notes);
    }

    private static boolean isAgentOf(PlanCreated plan, String subtaskId) {
        return plan.agents().stream().anyMatch(a -> subtaskId.equals(a.subtaskId()));
    }

    private static boolean isSynthesisOf(PlanCreated plan, String subtaskId) {
        return plan.synthesis() != null && subtaskId.equals(plan.synthesis().subtaskId());
    }
}
