package io.conclave.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.AgentChoice;
import io.conclave.contracts.AgentSpec;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.Mode;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.PlanningReport;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.TokenUsage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plans per strategy (issue 4): vote, decompose and its fallback, named agents, token caps, minSuccessful. */
class StrategyPlanTest {

    private static final Instant SUBMITTED = Instant.parse("2026-11-22T10:00:00Z");
    private static final List<ChatMessage> MESSAGES = List.of(new ChatMessage("user", "Plan a trip to Rome."));
    private static final PlanningReport PLANNED = new PlanningReport("default", "sim-model", 1,
            new TokenUsage(50, 20, 70), 30, null);

    private final PlanBuilder builder = builder(Map.of());

    @Test
    void aVoteHasNoSynthesisAQuorumAndTheWholeDeadlineForItsAgents() {
        PlannedRequest planned = builder.plan(request(5, Strategy.VOTE, null, null));
        PlanCreated plan = planned.plan();
        assertEquals(Strategy.VOTE, plan.strategy());
        assertNull(plan.synthesis());
        assertEquals(3, plan.quorum(), "a strict majority of 5");
        assertEquals(plan.deadline(), plan.agentsDeadline());
        assertTrue(planned.subtasks().stream().noneMatch(SubtaskAssigned::finalReply));
        assertEquals(2, builder.plan(request(4, Strategy.VOTE, null, 2)).plan().quorum());
        assertEquals(3, builder.plan(request(3, Strategy.VOTE, null, 9)).plan().quorum(), "capped at the agents");
    }

    @Test
    void namedAgentsGetTheirRoleModelAndProvider() {
        List<AgentChoice> choices = List.of(new AgentChoice("skeptic", "big-model", "slow"),
                new AgentChoice("Verifier", null, null), new AgentChoice("economist", "m2", null));
        PlanCreated plan = builder.plan(request(null, Strategy.SYNTHESIZE, choices, null)).plan();
        assertEquals(List.of("skeptic", "verifier", "economist"), plan.agents().stream().map(AgentSpec::role).toList());
        assertEquals(List.of("slow", "default", "default"),
                plan.agents().stream().map(AgentSpec::provider).toList());
        assertEquals("big-model", plan.agents().get(0).model());
        assertNull(plan.agents().get(1).model());
        assertTrue(plan.agents().get(2).systemPrompt().contains("role of economist"));
        assertTrue(plan.agents().get(2).systemPrompt().contains("Answer:"), "a custom role still ends in Answer:");
    }

    @Test
    void namedAgentsAreCappedLikeCountedOnes() {
        List<AgentChoice> many = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> new AgentChoice("solver", null, null)).toList();
        assertEquals(16, builder.plan(request(null, Strategy.VOTE, many, null)).plan().agents().size());
    }

    @Test
    void theRequestTokenCapSharesWhatTheSynthesisLeaves() {
        PlanBuilder capped = builder(Map.of("conclave.planner.max-request-tokens", "2000"));
        PlanCreated plan = capped.plan(request(8, Strategy.SYNTHESIZE, null, null)).plan();
        assertEquals(1000, plan.synthesis().maxTokens(), "at most half the cap");
        assertTrue(plan.agents().stream().allMatch(a -> a.maxTokens() == 125));
        long total = plan.agents().stream().mapToLong(AgentSpec::maxTokens).sum() + plan.synthesis().maxTokens();
        assertTrue(total <= 2000, "total " + total);

        PlanCreated vote = capped.plan(request(8, Strategy.VOTE, null, null)).plan();
        assertTrue(vote.agents().stream().allMatch(a -> a.maxTokens() == 250), "no synthesis to reserve for");
    }

    @Test
    void minSuccessfulComesFromConfigCappedAtTheAgents() {
        assertEquals(1, builder.plan(request(4, null, null, null)).plan().minSuccessful());
        PlanBuilder strict = builder(Map.of("conclave.planner.contemplating.min-successful", "3"));
        assertEquals(3, strict.plan(request(4, null, null, null)).plan().minSuccessful());
        assertEquals(2, strict.plan(request(2, null, null, null)).plan().minSuccessful());
    }

    @Test
    void decomposeGivesOneAgentPerSubQuestionAndAComposer() {
        Decomposition split = new Decomposition(List.of("Where to stay?", "What to see?"), PLANNED);
        PlannedRequest planned = builder.plan(request(4, Strategy.DECOMPOSE, null, null), split);
        PlanCreated plan = planned.plan();
        assertEquals(Strategy.DECOMPOSE, plan.strategy());
        assertEquals(List.of("Where to stay?", "What to see?"), plan.subQuestions());
        assertEquals(2, plan.agents().size());
        assertEquals("composer", plan.synthesis().role());
        assertEquals(PLANNED, plan.planning());
        ChatMessage last = planned.subtasks().get(1).messages().get(planned.subtasks().get(1).messages().size() - 1);
        assertEquals("user", last.role());
        assertTrue(last.content().endsWith("What to see?"), last.content());
        assertEquals(MESSAGES.get(0), planned.subtasks().get(1).messages().get(0), "the request stays in view");
        assertEquals(MESSAGES, plan.messages(), "the synthesis sees the original request");
    }

    @Test
    void aFallenBackDecomposeRunsParallelRolesAndSaysSo() {
        PlanningReport failed = new PlanningReport("default", "sim-model", 2, new TokenUsage(90, 20, 110), 40,
                "rejected twice");
        PlanCreated plan = builder.plan(request(3, Strategy.DECOMPOSE, null, null),
                new Decomposition(null, failed)).plan();
        assertEquals(Strategy.SYNTHESIZE, plan.strategy());
        assertEquals(List.of("solver", "skeptic", "alternative"), plan.agents().stream().map(AgentSpec::role).toList());
        assertNull(plan.subQuestions());
        assertEquals("rejected twice", plan.planning().fallback());
        assertFalse(plan.synthesis() == null);
    }

    private static PlanBuilder builder(Map<String, String> overrides) {
        return new PlanBuilder(TestPlannerConfigs.with(overrides), new RoleLibrary(),
                Clock.fixed(SUBMITTED, ZoneOffset.UTC));
    }

    private static RequestSubmitted request(Integer agents, Strategy strategy, List<AgentChoice> choices,
            Integer quorum) {
        return new RequestSubmitted("c-1", "e-1", SUBMITTED, 1, "local", "conclave-contemplating",
                Mode.CONTEMPLATING, MESSAGES, agents, strategy, null, quorum, null, null, false, choices);
    }
}
