package io.conclave.aggregator.join;

import static io.conclave.aggregator.Fixtures.AGENTS_DEADLINE;
import static io.conclave.aggregator.Fixtures.DEADLINE;
import static io.conclave.aggregator.Fixtures.MESSAGES;
import static io.conclave.aggregator.Fixtures.T0;
import static io.conclave.aggregator.Fixtures.completed;
import static io.conclave.aggregator.Fixtures.failed;
import static io.conclave.aggregator.Fixtures.plan;
import static io.conclave.aggregator.Fixtures.single;
import static io.conclave.aggregator.Fixtures.synthesisCompleted;
import static io.conclave.aggregator.Fixtures.synthesisFailed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.aggregator.join.JoinState.Phase;
import io.conclave.contracts.AgentNotes;
import io.conclave.contracts.AgentReport;
import io.conclave.contracts.AgentStatus;
import io.conclave.contracts.JoinEvent;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskKind;
import io.conclave.contracts.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JoinTest {

    private static final String CID = "c-1";
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final Instant NOW = T0.plusSeconds(5);

    private final Join join = new Join(RETENTION);
    private JoinState state;
    private final List<Effect> effects = new ArrayList<>();

    @Test
    void whenEveryAgentAnsweredOneSynthesisIsAskedForWithTheirNotesInPlanOrder() {
        PlanCreated plan = plan(CID, 3, 1);
        feed(plan);
        feed(completed(CID, "a3", "42"));
        feed(completed(CID, "a1", "42"));
        assertTrue(assignments().isEmpty(), "not before every agent answered");
        feed(completed(CID, "a2", "41"));

        SubtaskAssigned synthesis = only(assignments());
        assertEquals(CID + ".synthesis", synthesis.subtaskId());
        assertEquals(SubtaskKind.SYNTHESIS, synthesis.kind());
        assertEquals(plan.synthesis(), synthesis.agent());
        assertEquals(plan.mode(), synthesis.mode());
        assertEquals(MESSAGES, synthesis.messages());
        assertEquals(List.of(new AgentNotes("a1", "role-a1", "42", "notes of a1"),
                new AgentNotes("a2", "role-a2", "41", "notes of a2"),
                new AgentNotes("a3", "role-a3", "42", "notes of a3")), synthesis.notes());
        assertTrue(synthesis.finalReply());
        assertEquals(DEADLINE, synthesis.deadline());
        assertEquals(Phase.SYNTHESIZING, state.phase());
        assertTrue(results().isEmpty(), "no result before the synthesis");
    }

    @Test
    void theSynthesisResultClosesTheJoinWithEveryReportUsageAndCriticalPathTime() {
        feed(plan(CID, 2, 1));
        feed(completed(CID, "a1", "42", 700));
        feed(completed(CID, "a2", "42", 1200));
        feed(synthesisCompleted(CID, "It is 42.", 500));

        RequestCompleted result = only(results());
        assertEquals(RequestStatus.COMPLETE, result.status());
        assertEquals("It is 42.", result.content());
        assertNull(result.error());
        assertEquals(List.of("a1", "a2", "synthesis"), result.agents().stream().map(AgentReport::agentId).toList());
        AgentReport a2 = result.agents().get(1);
        assertEquals("role-a2", a2.role());
        assertEquals("sim-model", a2.model(), "the plan names no model for a2, so the one that answered");
        assertEquals(AgentStatus.COMPLETE, a2.status());
        assertEquals(800L, a2.latencyMs());
        assertEquals(5L, a2.notesTokens());
        assertEquals(new TokenUsage(30, 60, 90), result.usage());
        assertEquals(1200 + 500, result.llmMs(), "slowest agent plus the synthesis");
        assertEquals("conclave-contemplating", result.model());
        assertEquals("local", result.tenantId());
        assertEquals(T0, result.submittedAt());
        assertEquals(Phase.CLOSED, state.phase());
    }

    @Test
    void aSingleAgentsAnswerIsTheResultRightAway() {
        feed(single(CID));
        feed(completed(CID, "a1", "42"));

        RequestCompleted result = only(results());
        assertEquals(RequestStatus.COMPLETE, result.status());
        assertEquals("42", result.content());
        assertEquals(1, result.agents().size());
        assertTrue(assignments().isEmpty());
    }

    @Test
    void aSingleAgentsFailureFailsTheRequestWithItsReason() {
        feed(single(CID));
        feed(failed(CID, "a1", "upstream 500 from provider default"));

        RequestCompleted result = only(results());
        assertEquals(RequestStatus.FAILED, result.status());
        assertNull(result.content());
        assertEquals("agent a1 (role-a1) failed: upstream 500 from provider default", result.error());
        assertEquals(AgentStatus.FAILED, result.agents().get(0).status());
    }

    @Test
    void atTheAgentsDeadlineTheJoinGoesOnWithWhatCameAndNamesTheLate() {
        feed(plan(CID, 3, 1));
        feed(completed(CID, "a1", "42"));
        tick(AGENTS_DEADLINE.minusMillis(1));
        assertTrue(assignments().isEmpty(), "not before the deadline");

        tick(AGENTS_DEADLINE);
        assertEquals(List.of("a1"), only(assignments()).notes().stream().map(AgentNotes::agentId).toList());
        feed(synthesisCompleted(CID, "42", 300));

        RequestCompleted result = only(results());
        assertEquals(RequestStatus.PARTIAL, result.status());
        assertEquals("42", result.content());
        assertEquals(List.of(AgentStatus.COMPLETE, AgentStatus.LATE, AgentStatus.LATE, AgentStatus.COMPLETE),
                result.agents().stream().map(AgentReport::status).toList());
        assertEquals("missed the agents' deadline", result.agents().get(1).reason());
        assertNull(result.agents().get(1).latencyMs());
    }

    @Test
    void whenNoAgentAnsweredBeforeTheDeadlineTheRequestFailsNamingTheLate() {
        feed(plan(CID, 3, 1));
        tick(AGENTS_DEADLINE);

        RequestCompleted result = only(results());
        assertEquals(RequestStatus.FAILED, result.status());
        assertEquals("no agent answered before the deadline (late: a1 (role-a1), a2 (role-a2), a3 (role-a3))",
                result.error());
        assertTrue(assignments().isEmpty(), "nothing to synthesize");
    }

    @Test
    void failedAndLateAgentsAreBothNamed() {
        feed(plan(CID, 3, 1));
        feed(failed(CID, "a1", "rate limited"));
        tick(AGENTS_DEADLINE);

        assertEquals("no agent answered before the deadline (late: a2 (role-a2), a3 (role-a3); "
                + "failed: a1 (role-a1): rate limited)",
                only(results()).error());
    }

    @Test
    void fewerAnswersThanMinSuccessfulFailListingEachAgentsReason() {
        feed(plan(CID, 3, 2));
        feed(completed(CID, "a1", "42"));
        feed(failed(CID, "a2", "upstream 500"));
        feed(failed(CID, "a3", "deadline passed"));

        RequestCompleted result = only(results());
        assertEquals(RequestStatus.FAILED, result.status());
        assertEquals("only 1 of 3 agents answered, 2 needed (failed: a2 (role-a2): upstream 500; a3 (role-a3): deadline passed)",
                result.error());
        assertTrue(assignments().isEmpty());
    }

    @Test
    void aFailedAgentMakesTheAnswerPartial() {
        feed(plan(CID, 2, 1));
        feed(completed(CID, "a1", "42"));
        feed(failed(CID, "a2", "upstream 500"));
        feed(synthesisCompleted(CID, "42", 100));

        RequestCompleted result = only(results());
        assertEquals(RequestStatus.PARTIAL, result.status());
        assertEquals("upstream 500", result.agents().get(1).reason());
    }

    @Test
    void aSecondReportOfTheSameSubtaskIsIgnored() {
        feed(plan(CID, 2, 1));
        feed(completed(CID, "a1", "42"));
        JoinState before = state;

        Decision again = feed(completed(CID, "a1", "41"));
        Decision contrary = feed(failed(CID, "a1", "boom"));
        Decision replan = feed(plan(CID, 2, 1));

        for (Decision duplicate : List.of(again, contrary, replan)) {
            assertEquals(Decision.Change.NONE, duplicate.change());
            assertTrue(duplicate.effects().get(0) instanceof Effect.Duplicate);
        }
        assertEquals(before, state);
        feed(completed(CID, "a2", "42"));
        assertEquals("42", only(assignments()).notes().get(0).answer(), "the first report counts");
    }

    @Test
    void partialsAfterTheReleaseOrTheCloseAreDroppedAsLate() {
        feed(plan(CID, 2, 1));
        feed(completed(CID, "a1", "42"));
        tick(AGENTS_DEADLINE);

        Decision released = feed(completed(CID, "a2", "42"));
        assertEquals(Decision.Change.NONE, released.change());
        assertTrue(released.effects().get(0) instanceof Effect.Late);

        feed(synthesisCompleted(CID, "42", 100));
        Decision closed = feed(failed(CID, "a2", "too slow"));
        assertTrue(closed.effects().get(0) instanceof Effect.Late);
        Decision secondSynthesis = feed(synthesisCompleted(CID, "43", 100));
        assertTrue(secondSynthesis.effects().get(0) instanceof Effect.Duplicate);

        RequestCompleted result = only(results());
        assertEquals(RequestStatus.PARTIAL, result.status());
        assertEquals(AgentStatus.LATE, result.agents().get(1).status());
    }

    @Test
    void aFailedSynthesisFailsTheRequestWithoutAnAnswer() {
        feed(plan(CID, 2, 1));
        feed(completed(CID, "a1", "42"));
        feed(completed(CID, "a2", "42"));
        feed(synthesisFailed(CID, "upstream 429 from provider default"));

        RequestCompleted result = only(results());
        assertEquals(RequestStatus.FAILED, result.status());
        assertNull(result.content());
        assertEquals("synthesis failed: upstream 429 from provider default", result.error());
        assertEquals(AgentStatus.FAILED, result.agents().get(2).status());
    }

    @Test
    void noSynthesisResultByTheRequestsDeadlineFailsTheRequest() {
        feed(plan(CID, 2, 1));
        feed(completed(CID, "a1", "42"));
        feed(completed(CID, "a2", "42"));
        tick(DEADLINE.minusMillis(1));
        assertTrue(results().isEmpty());
        tick(DEADLINE);

        RequestCompleted result = only(results());
        assertEquals(RequestStatus.FAILED, result.status());
        assertEquals("the synthesis did not answer before the request's deadline", result.error());
        AgentReport synthesis = result.agents().get(2);
        assertEquals(AgentStatus.LATE, synthesis.status());
        assertEquals("missed the request's deadline", synthesis.reason());
    }

    @Test
    void noSynthesisIsAskedForOnceTheRequestsDeadlinePassed() {
        feed(plan(CID, 2, 1));
        feed(completed(CID, "a1", "42"));
        tick(DEADLINE.plusSeconds(1));

        assertTrue(assignments().isEmpty());
        RequestCompleted result = only(results());
        assertEquals(RequestStatus.FAILED, result.status());
        assertEquals("the request's deadline passed before the synthesis could start (late: a2 (role-a2))",
                result.error());
    }

    @Test
    void partialsBeforeTheirPlanAreHeldAndCountedWhenItArrives() {
        Decision held = feed(completed(CID, "a1", "42"));
        assertTrue(held.effects().get(0) instanceof Effect.Held);
        assertEquals(Phase.AWAITING_PLAN, state.phase());
        feed(failed(CID, "a2", "boom"));
        tick(AGENTS_DEADLINE.plusSeconds(1));
        assertEquals(Phase.AWAITING_PLAN, state.phase(), "no plan, no deadline");

        feed(plan(CID, 2, 1));
        SubtaskAssigned synthesis = only(assignments());
        assertEquals(List.of("a1"), synthesis.notes().stream().map(AgentNotes::agentId).toList());
    }

    @Test
    void heldPartialsThatNoPlanClaimsAreDeletedAfterTheRetention() {
        feed(completed(CID, "a1", "42"));
        tick(NOW.plus(RETENTION).minusMillis(1));
        assertEquals(Phase.AWAITING_PLAN, state.phase());

        Decision expired = tick(NOW.plus(RETENTION));
        assertEquals(Decision.Change.DELETE, expired.change());
        assertEquals(List.of(new Effect.Orphaned(1)), expired.effects());
    }

    @Test
    void aClosedJoinAbsorbsDuplicatesUntilItsRetentionEnds() {
        feed(single(CID));
        feed(completed(CID, "a1", "42"));
        Instant closedAt = state.since();
        assertEquals(closedAt.plus(RETENTION), state.dueAt(RETENTION));

        assertEquals(Decision.Change.NONE, tick(closedAt.plus(RETENTION).minusMillis(1)).change());
        assertEquals(Decision.Change.DELETE, tick(closedAt.plus(RETENTION)).change());
        assertNull(state);
        assertEquals(1, results().size());
    }

    @Test
    void aPartialOfAnotherPlanIsIgnored() {
        feed(plan(CID, 2, 1));
        Decision stray = feed(completed(CID, "a9", "42"));
        assertTrue(stray.effects().get(0) instanceof Effect.Ignored);
        assertEquals(Decision.Change.NONE, stray.change());
    }

    @Test
    void eventsThatCannotBeJoinedAreNamed() {
        PlanCreated good = plan(CID, 2, 1);
        PlanCreated noAgents = new PlanCreated(CID, "e", T0, 1, "t", "m", good.mode(), good.strategy(), MESSAGES, null,
                null, null, 1, T0, AGENTS_DEADLINE, DEADLINE);
        assertEquals(Optional.empty(), Join.problemWith(good));
        assertEquals(Optional.of("plan without agents or deadlines"), Join.problemWith(noAgents));
        assertEquals(Optional.of("no correlationId"), Join.problemWith(completed(null, "a1", "42")));
    }

    private Decision feed(JoinEvent event) {
        return apply(join.onEvent(state, event, NOW));
    }

    private Decision tick(Instant now) {
        return apply(join.onTick(state, now));
    }

    private Decision apply(Decision decision) {
        switch (decision.change()) {
            case PUT -> state = decision.state();
            case DELETE -> state = null;
            case NONE -> {
            }
        }
        effects.addAll(decision.effects());
        return decision;
    }

    private List<RequestCompleted> results() {
        return effects.stream().filter(Effect.Publish.class::isInstance).map(e -> ((Effect.Publish) e).result())
                .toList();
    }

    private List<SubtaskAssigned> assignments() {
        return effects.stream().filter(Effect.Assign.class::isInstance).map(e -> ((Effect.Assign) e).subtask())
                .toList();
    }

    private static <T> T only(List<T> items) {
        assertEquals(1, items.size(), "exactly one expected: " + items);
        return items.get(0);
    }
}
