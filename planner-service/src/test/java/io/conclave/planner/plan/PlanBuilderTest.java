package io.conclave.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.AgentSpec;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.Mode;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.ProgressKind;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The planning rules: roles, strategy, quorum, clamping, deadlines, token budgets and IDs. */
class PlanBuilderTest {

    private static final Instant SUBMITTED = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant NOW = SUBMITTED.plusMillis(7);
    private static final List<ChatMessage> MESSAGES = List.of(new ChatMessage("user", "What is 6 times 7?"));

    private final RoleLibrary roles = new RoleLibrary();
    private final PlanBuilder builder = builder(Map.of());

    @Test
    void instantIsOneAssistantWhoseAnswerIsTheReply() {
        PlannedRequest planned = builder.plan(request(Mode.INSTANT, null, null, null, null, null));
        PlanCreated plan = planned.plan();

        assertEquals(Strategy.SINGLE, plan.strategy());
        assertEquals(List.of("assistant"), roles(plan));
        assertNull(plan.synthesis());
        assertNull(plan.quorum());
        assertEquals(1, plan.minSuccessful());
        assertEquals(SUBMITTED, plan.submittedAt());
        assertEquals(SUBMITTED.plusSeconds(30), plan.deadline());
        assertEquals(plan.deadline(), plan.agentsDeadline());

        SubtaskAssigned subtask = planned.subtasks().get(0);
        assertEquals(1, planned.subtasks().size());
        assertTrue(subtask.finalReply());
        assertEquals("c-1.a1", subtask.subtaskId());
        assertEquals(SubtaskKind.AGENT, subtask.kind());
        assertEquals(plan.deadline(), subtask.deadline());
    }

    @Test
    void thinkingIsOneThinkerWithAStepByStepPrompt() {
        PlanCreated plan = builder.plan(request(Mode.THINKING, null, null, null, null, null)).plan();

        assertEquals(Strategy.SINGLE, plan.strategy());
        assertEquals(List.of("thinker"), roles(plan));
        assertTrue(plan.agents().get(0).systemPrompt().contains("step by step"));
        assertEquals(SUBMITTED.plusSeconds(60), plan.deadline());
        assertEquals(plan.deadline(), plan.agentsDeadline());
        assertNull(plan.synthesis());
    }

    @Test
    void contemplatingDefaultsToFourAgentsAndASynthesis() {
        PlannedRequest planned = builder.plan(request(Mode.CONTEMPLATING, null, null, null, null, null));
        PlanCreated plan = planned.plan();

        assertEquals(Strategy.SYNTHESIZE, plan.strategy());
        assertEquals(List.of("solver", "skeptic", "alternative", "verifier"), roles(plan));
        assertEquals(List.of(0.2, 0.8, 0.9, 0.3), plan.agents().stream().map(AgentSpec::temperature).toList());
        assertNull(plan.quorum());
        assertEquals(1, plan.minSuccessful());
        assertEquals(SUBMITTED.plusSeconds(120), plan.deadline());
        // 25 % of the deadline is the synthesis' share.
        assertEquals(SUBMITTED.plusSeconds(90), plan.agentsDeadline());

        AgentSpec synthesis = plan.synthesis();
        assertEquals("synthesis", synthesis.agentId());
        assertEquals("c-1.synthesis", synthesis.subtaskId());
        assertEquals("synthesizer", synthesis.role());
        assertEquals(1024, synthesis.maxTokens());

        assertEquals(4, planned.subtasks().size());
        for (SubtaskAssigned subtask : planned.subtasks()) {
            assertFalse(subtask.finalReply(), subtask.subtaskId());
            assertEquals(plan.agentsDeadline(), subtask.deadline());
            assertEquals(SubtaskKind.AGENT, subtask.kind());
            assertEquals(Mode.CONTEMPLATING, subtask.mode());
            assertEquals(MESSAGES, subtask.messages());
            assertNull(subtask.notes());
        }
    }

    @Test
    void eightAgentsHaveEightDistinctRolesPromptsAndTemperatures() {
        PlanCreated plan = builder.plan(request(Mode.CONTEMPLATING, 8, null, null, null, null)).plan();

        assertEquals(8, Set.copyOf(roles(plan)).size(), "roles " + roles(plan));
        assertEquals(8, plan.agents().stream().map(AgentSpec::systemPrompt).distinct().count());
        assertEquals(8, plan.agents().stream().map(AgentSpec::temperature).distinct().count());
        for (AgentSpec agent : plan.agents()) {
            assertTrue(agent.systemPrompt().contains("`Answer: <final answer>`"), agent.role());
        }
    }

    @Test
    void rolesAreReusedInOrderBeyondTheLibrary() {
        PlanCreated plan = builder.plan(request(Mode.CONTEMPLATING, 10, null, null, null, null)).plan();

        assertEquals(roles.distinctRoles(), 8);
        assertEquals("solver", plan.agents().get(8).role());
        assertEquals("skeptic", plan.agents().get(9).role());
        assertEquals(10, plan.agents().stream().map(AgentSpec::agentId).distinct().count());
    }

    @ParameterizedTest
    @CsvSource({"0, 1", "-3, 1", "1, 1", "7, 7", "16, 16", "17, 16", "1000, 16"})
    void agentCountIsClampedToOneAndTheMaximum(int asked, int planned) {
        PlanCreated plan = builder.plan(request(Mode.CONTEMPLATING, asked, null, null, null, null)).plan();
        assertEquals(planned, plan.agents().size());
    }

    @Test
    void theMaximumIsConfigurable() {
        PlanBuilder small = builder(Map.of("conclave.planner.max-agents", "3",
                "conclave.planner.contemplating.agents", "5"));
        assertEquals(3, small.plan(request(Mode.CONTEMPLATING, null, null, null, null, null)).plan().agents().size());
    }

    @Test
    void singleModesIgnoreTheAgentCount() {
        PlanCreated plan = builder.plan(request(Mode.INSTANT, 8, Strategy.VOTE, null, 3, null)).plan();
        assertEquals(1, plan.agents().size());
        assertEquals(Strategy.SINGLE, plan.strategy());
        assertNull(plan.quorum());
    }

    @Test
    void theClientsDeadlineOverridesTheModeDefault() {
        PlanCreated contemplating = builder.plan(request(Mode.CONTEMPLATING, null, null, 10_000L, null, null)).plan();
        assertEquals(SUBMITTED.plusSeconds(10), contemplating.deadline());
        assertEquals(SUBMITTED.plusMillis(7_500), contemplating.agentsDeadline());

        PlanCreated instant = builder.plan(request(Mode.INSTANT, null, null, 5_000L, null, null)).plan();
        assertEquals(SUBMITTED.plusSeconds(5), instant.deadline());
        assertEquals(SUBMITTED.plusSeconds(5), instant.agentsDeadline());
    }

    @Test
    void configuredDeadlinesAndShareApply() {
        PlanBuilder custom = builder(Map.of("conclave.planner.contemplating.deadline", "PT40S",
                "conclave.planner.synthesis-share", "0.5", "conclave.planner.instant.deadline", "2s"));
        PlanCreated plan = custom.plan(request(Mode.CONTEMPLATING, null, null, null, null, null)).plan();
        assertEquals(SUBMITTED.plusSeconds(40), plan.deadline());
        assertEquals(SUBMITTED.plusSeconds(20), plan.agentsDeadline());
        assertEquals(SUBMITTED.plusSeconds(2),
                custom.plan(request(Mode.INSTANT, null, null, null, null, null)).plan().deadline());
    }

    @Test
    void aSynthesisShareOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> builder(Map.of("conclave.planner.synthesis-share", "1.0")));
        assertThrows(IllegalArgumentException.class,
                () -> builder(Map.of("conclave.planner.synthesis-share", "-0.1")));
    }

    @Test
    void subtaskIdsAreTheCorrelationIdAndTheAgentId() {
        PlannedRequest planned = builder.plan(request(Mode.CONTEMPLATING, 5, null, null, null, null));

        assertEquals(List.of("a1", "a2", "a3", "a4", "a5"),
                planned.plan().agents().stream().map(AgentSpec::agentId).toList());
        assertEquals(List.of("c-1.a1", "c-1.a2", "c-1.a3", "c-1.a4", "c-1.a5"),
                planned.subtasks().stream().map(SubtaskAssigned::subtaskId).toList());
        assertEquals(planned.plan().agents(), planned.subtasks().stream().map(SubtaskAssigned::agent).toList());
    }

    @Test
    void everyEventHasItsOwnIdAndTheCommonFields() {
        PlannedRequest planned = builder.plan(request(Mode.CONTEMPLATING, 4, null, null, null, null));
        List<ConclaveEvent> events = Stream.<ConclaveEvent>concat(
                Stream.of(planned.plan(), planned.planned()), planned.subtasks().stream()).toList();

        Set<String> ids = new HashSet<>();
        for (ConclaveEvent event : events) {
            assertTrue(ids.add(event.eventId()), "duplicate event ID " + event.eventId());
            assertEquals("c-1", event.correlationId());
            assertEquals(NOW, event.occurredAt());
            assertEquals(ConclaveEvent.SCHEMA_VERSION, event.schemaVersion());
        }
        assertEquals(ProgressKind.PLANNED, planned.planned().kind());
        assertEquals("local", planned.plan().tenantId());
        assertEquals("conclave-contemplating", planned.plan().model());
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 2", "3, 2", "4, 3", "5, 3", "16, 9"})
    void aVoteWithoutQuorumNeedsAStrictMajority(int agents, int quorum) {
        PlanCreated plan = builder.plan(request(Mode.CONTEMPLATING, agents, Strategy.VOTE, null, null, null)).plan();
        assertEquals(Strategy.VOTE, plan.strategy());
        assertEquals(quorum, plan.quorum());
    }

    @ParameterizedTest
    @CsvSource({"4, 2, 2", "4, 4, 4", "4, 9, 4", "4, 0, 1"})
    void theClientsQuorumIsKeptWithinTheAgents(int agents, int asked, int quorum) {
        PlanCreated plan = builder.plan(request(Mode.CONTEMPLATING, agents, Strategy.VOTE, null, asked, null)).plan();
        assertEquals(quorum, plan.quorum());
    }

    @Test
    void aQuorumOutsideAVoteIsDropped() {
        PlanCreated plan = builder.plan(request(Mode.CONTEMPLATING, 4, Strategy.SYNTHESIZE, null, 2, null)).plan();
        assertNull(plan.quorum());
    }

    @Test
    void aVoteKeepsItsStrategyAndHasNoSynthesisWhileDecomposeWithoutAPlanFallsBack() {
        PlannedRequest vote = builder.plan(request(Mode.CONTEMPLATING, 3, Strategy.VOTE, null, null, null));
        assertEquals(Strategy.VOTE, vote.plan().strategy());
        assertEquals(3, vote.subtasks().size());
        assertNull(vote.plan().synthesis());
        assertEquals(SUBMITTED.plusSeconds(120), vote.plan().agentsDeadline());

        PlannedRequest decompose = builder.plan(request(Mode.CONTEMPLATING, 3, Strategy.DECOMPOSE, null, null, null));
        assertEquals(Strategy.SYNTHESIZE, decompose.plan().strategy(), "no sub-questions: parallel roles");
        assertEquals("c-1.synthesis", decompose.plan().synthesis().subtaskId());
        assertEquals(SUBMITTED.plusSeconds(90), decompose.plan().agentsDeadline());
    }

    @Test
    void aOneAgentContemplatingPlanStillEndsInASynthesis() {
        PlannedRequest planned = builder.plan(request(Mode.CONTEMPLATING, 1, null, null, null, null));
        assertEquals(1, planned.subtasks().size());
        assertFalse(planned.subtasks().get(0).finalReply());
        assertEquals("synthesizer", planned.plan().synthesis().role());
    }

    @Test
    void theClientsTemperatureDoesNotOverrideTheRoles() {
        RequestSubmitted hot = new RequestSubmitted("c-1", "e-1", SUBMITTED, 1, "local", "conclave-contemplating",
                Mode.CONTEMPLATING, MESSAGES, 4, null, null, null, null, 1.9, false);
        assertEquals(List.of(0.2, 0.8, 0.9, 0.3),
                builder.plan(hot).plan().agents().stream().map(AgentSpec::temperature).toList());
    }

    @Test
    void theClientsMaxTokensCapsOnlyTheFinalReply() {
        PlanCreated low = builder.plan(request(Mode.CONTEMPLATING, 2, null, null, null, 200)).plan();
        assertEquals(200, low.synthesis().maxTokens());
        assertEquals(List.of(1024, 1024), low.agents().stream().map(AgentSpec::maxTokens).toList());

        PlanCreated high = builder.plan(request(Mode.CONTEMPLATING, 2, null, null, null, 5000)).plan();
        assertEquals(1024, high.synthesis().maxTokens());

        PlanCreated instant = builder.plan(request(Mode.INSTANT, null, null, null, null, 100)).plan();
        assertEquals(100, instant.agents().get(0).maxTokens());
    }

    @Test
    void providerAndModelComeFromConfig() {
        PlanCreated byDefault = builder.plan(request(Mode.CONTEMPLATING, 2, null, null, null, null)).plan();
        assertEquals("default", byDefault.agents().get(0).provider());
        assertNull(byDefault.agents().get(0).model());

        PlanBuilder custom = builder(Map.of("conclave.planner.provider", "fast", "conclave.planner.model", "m-1",
                "conclave.planner.agent-max-tokens", "300", "conclave.planner.synthesis-max-tokens", "700"));
        PlanCreated plan = custom.plan(request(Mode.CONTEMPLATING, 2, null, null, null, null)).plan();
        for (AgentSpec agent : Stream.concat(plan.agents().stream(), Stream.of(plan.synthesis())).toList()) {
            assertEquals("fast", agent.provider());
            assertEquals("m-1", agent.model());
        }
        assertEquals(300, plan.agents().get(0).maxTokens());
        assertEquals(700, plan.synthesis().maxTokens());
    }

    @Test
    void aRequestWithoutSubmissionTimeIsTimedFromNow() {
        RequestSubmitted untimed = new RequestSubmitted("c-1", "e-1", null, 1, "local", "conclave-instant",
                Mode.INSTANT, MESSAGES, null, null, null, null, null, null, false);
        assertEquals(NOW.plusSeconds(30), builder.plan(untimed).plan().deadline());
    }

    @Test
    void aRequestNobodyWatchesPlansNoProgressAndSaysSoToItsSubtasks() {
        RequestSubmitted plainCall = new RequestSubmitted("c-1", "e-1", SUBMITTED, 1, "local",
                "conclave-contemplating", Mode.CONTEMPLATING, MESSAGES, 3, null, null, null, null, null, false, null,
                false);
        PlannedRequest planned = builder.plan(plainCall);
        assertNull(planned.planned());
        assertEquals(Boolean.FALSE, planned.plan().watched());
        assertTrue(planned.subtasks().stream().allMatch(subtask -> Boolean.FALSE.equals(subtask.watched())));

        RequestSubmitted olderRecord = new RequestSubmitted("c-2", "e-2", SUBMITTED, 1, "local",
                "conclave-contemplating", Mode.CONTEMPLATING, MESSAGES, 3, null, null, null, null, null, false);
        assertNotNull(builder.plan(olderRecord).planned(), "a request without the flag is watched");
    }

    @Test
    void unusableRequestsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> builder.plan(null));
        assertThrows(IllegalArgumentException.class, () -> builder.plan(new RequestSubmitted(null, "e", SUBMITTED, 1,
                "local", "conclave-instant", Mode.INSTANT, MESSAGES, null, null, null, null, null, null, false)));
        assertThrows(IllegalArgumentException.class, () -> builder.plan(new RequestSubmitted("c", "e", SUBMITTED, 1,
                "local", "conclave-instant", null, MESSAGES, null, null, null, null, null, null, false)));
        assertThrows(IllegalArgumentException.class, () -> builder.plan(new RequestSubmitted("c", "e", SUBMITTED, 1,
                "local", "conclave-instant", Mode.INSTANT, List.of(), null, null, null, null, null, null, false)));
    }

    private PlanBuilder builder(Map<String, String> overrides) {
        return new PlanBuilder(TestPlannerConfigs.with(overrides), roles, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static List<String> roles(PlanCreated plan) {
        return plan.agents().stream().map(AgentSpec::role).toList();
    }

    private static RequestSubmitted request(Mode mode, Integer agents, Strategy strategy, Long deadlineMs,
            Integer quorum, Integer maxTokens) {
        String model = "conclave-" + mode.name().toLowerCase();
        return new RequestSubmitted("c-1", "e-1", SUBMITTED, 1, "local", model, mode, MESSAGES, agents, strategy,
                deadlineMs, quorum, maxTokens, null, false);
    }
}
