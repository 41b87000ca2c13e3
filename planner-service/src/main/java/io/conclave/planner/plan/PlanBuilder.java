package io.conclave.planner.plan;

import io.conclave.contracts.AgentChoice;
import io.conclave.contracts.AgentSpec;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.Mode;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.ProgressKind;
import io.conclave.contracts.ProgressUpdated;
import io.conclave.contracts.RequestSubmitted;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskKind;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a request into its plan without any I/O, so the planning rules (agents, roles, strategy,
 * quorum, deadlines, token budgets) are decided in one place and tested without Kafka.
 */
@Singleton
public final class PlanBuilder {

    /** Agent ID of the synthesis, and suffix of its sub-task ID. */
    public static final String SYNTHESIS_ID = "synthesis";

    private final PlannerConfig config;
    private final RoleLibrary roles;
    private final Clock clock;

    @Inject
    public PlanBuilder(PlannerConfig config, RoleLibrary roles) {
        this(config, roles, Clock.systemUTC());
    }

    public PlanBuilder(PlannerConfig config, RoleLibrary roles, Clock clock) {
        if (config.synthesisShare() < 0 || config.synthesisShare() >= 1) {
            throw new IllegalArgumentException("conclave.planner.synthesis-share must be in [0, 1), is "
                    + config.synthesisShare());
        }
        if (config.maxRequestTokens() < 2) {
            throw new IllegalArgumentException("conclave.planner.max-request-tokens must be at least 2, is "
                    + config.maxRequestTokens());
        }
        if (config.maxAgents() < 1) {
            throw new IllegalArgumentException("conclave.planner.max-agents must be at least 1, is " + config.maxAgents());
        }
        this.config = config;
        this.roles = roles;
        this.clock = clock;
    }

    /**
     * Plans one request whose strategy needs no planning call.
     *
     * @throws IllegalArgumentException when the request lacks what any plan needs (correlation ID,
     *     mode, messages); such a record is a poison record and goes to the dead-letter topic
     */
    public PlannedRequest plan(RequestSubmitted request) {
        return plan(request, null);
    }

    /**
     * Plans one request.
     *
     * @param decomposition the planning call's result for a {@code decompose} request, else null
     * @throws IllegalArgumentException as {@link #plan(RequestSubmitted)}
     */
    public PlannedRequest plan(RequestSubmitted request, Decomposition decomposition) {
        requireUsable(request);
        Instant now = clock.instant();
        Instant submittedAt = request.occurredAt() != null ? request.occurredAt() : now;
        Duration budget = deadlineOf(request);
        Instant deadline = submittedAt.plus(budget);

        Draft draft = switch (request.mode()) {
            case INSTANT -> singleAgentPlan(request, roles.assistant(), now, submittedAt, deadline);
            case THINKING -> singleAgentPlan(request, roles.thinker(), now, submittedAt, deadline);
            case CONTEMPLATING -> contemplatingPlan(request, decomposition, now, submittedAt, budget, deadline);
        };
        boolean watched = !Boolean.FALSE.equals(request.watched());
        return new PlannedRequest(draft.plan(), subtasksOf(draft, now), watched ? planned(draft.plan(), now) : null);
    }

    /** A plan and, per agent ID, the conversation its sub-task carries when it differs from the request's. */
    private record Draft(PlanCreated plan, Map<String, List<ChatMessage>> messages) {
    }

    /** How many agents a contemplating request gets: its named agents, its count, or the default, capped. */
    public int agentCount(RequestSubmitted request) {
        int asked = request.agentChoices() != null && !request.agentChoices().isEmpty()
                ? request.agentChoices().size()
                : request.agents() != null ? request.agents() : config.contemplating().agents();
        return clamp(asked, 1, config.maxAgents());
    }

    private Draft singleAgentPlan(RequestSubmitted request, Role role, Instant now, Instant submittedAt,
            Instant deadline) {
        AgentSpec agent = spec(request.correlationId(), "a1", role, null,
                finalReplyTokens(request, Math.min(config.agentMaxTokens(), config.maxRequestTokens())));
        return new Draft(new PlanCreated(request.correlationId(), newId(), now, ConclaveEvent.SCHEMA_VERSION,
                request.tenantId(), request.model(), request.mode(), Strategy.SINGLE, request.messages(),
                List.of(agent), null, null, 1, submittedAt, deadline, deadline, null, null, request.watched()),
                Map.of());
    }

    private Draft contemplatingPlan(RequestSubmitted request, Decomposition decomposition, Instant now,
            Instant submittedAt, Duration budget, Instant deadline) {
        Strategy strategy = contemplatingStrategy(request);
        boolean decomposed = strategy == Strategy.DECOMPOSE && decomposition != null && !decomposition.fellBack();
        if (strategy == Strategy.DECOMPOSE && !decomposed) {
            strategy = Strategy.SYNTHESIZE; // parallel roles; the planning report names the fallback
        }
        int n = decomposed ? Math.min(decomposition.subQuestions().size(), config.maxAgents()) : agentCount(request);
        boolean voting = strategy == Strategy.VOTE;
        int synthesisTokens = voting ? 0 : Math.min(finalReplyTokens(request, config.synthesisMaxTokens()),
                Math.max(1, config.maxRequestTokens() / 2));
        int agentTokens = Math.max(1, Math.min(config.agentMaxTokens(),
                (config.maxRequestTokens() - synthesisTokens) / n));

        List<AgentSpec> agents = new ArrayList<>(n);
        Map<String, List<ChatMessage>> messages = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String agentId = "a" + (i + 1);
            if (decomposed) {
                agents.add(spec(request.correlationId(), agentId, roles.subQuestion(), null, agentTokens));
                messages.put(agentId, withSubQuestion(request.messages(), decomposition.subQuestions().get(i), i, n));
            } else {
                AgentChoice choice = choiceAt(request, i);
                agents.add(spec(request.correlationId(), agentId, roleFor(choice, i, n), choice, agentTokens));
            }
        }
        AgentSpec synthesis = voting ? null : spec(request.correlationId(), SYNTHESIS_ID,
                decomposed ? roles.composer() : roles.synthesizer(), null, synthesisTokens);
        Integer quorum = voting ? quorum(request, n) : null;
        long agentsMillis = voting ? budget.toMillis() : Math.round(budget.toMillis() * (1 - config.synthesisShare()));
        int minSuccessful = clamp(config.contemplating().minSuccessful(), 1, n);
        PlanCreated plan = new PlanCreated(request.correlationId(), newId(), now, ConclaveEvent.SCHEMA_VERSION,
                request.tenantId(), request.model(), Mode.CONTEMPLATING, strategy, request.messages(),
                List.copyOf(agents), synthesis, quorum, minSuccessful, submittedAt,
                submittedAt.plusMillis(agentsMillis), deadline,
                decomposed ? List.copyOf(decomposition.subQuestions().subList(0, n)) : null,
                decomposition != null ? decomposition.report() : null, request.watched());
        return new Draft(plan, messages);
    }

    private Role roleFor(AgentChoice choice, int index, int n) {
        if (choice == null || choice.role() == null || choice.role().isBlank()) {
            return roles.contemplating(n).get(index);
        }
        return roles.byName(choice.role()).orElseGet(() -> roles.custom(choice.role()));
    }

    private static AgentChoice choiceAt(RequestSubmitted request, int index) {
        List<AgentChoice> choices = request.agentChoices();
        return choices != null && index < choices.size() ? choices.get(index) : null;
    }

    /** The conversation with the agent's sub-question as the last user message. */
    private static List<ChatMessage> withSubQuestion(List<ChatMessage> conversation, String subQuestion, int index,
            int count) {
        List<ChatMessage> messages = new ArrayList<>(conversation);
        messages.add(new ChatMessage("user", "Sub-question " + (index + 1) + " of " + count
                + " of the request above: " + subQuestion));
        return List.copyOf(messages);
    }

    private List<SubtaskAssigned> subtasksOf(Draft draft, Instant now) {
        PlanCreated plan = draft.plan();
        boolean finalReply = plan.strategy() == Strategy.SINGLE;
        return plan.agents().stream()
                .map(agent -> new SubtaskAssigned(plan.correlationId(), newId(), now, ConclaveEvent.SCHEMA_VERSION,
                        agent.subtaskId(), SubtaskKind.AGENT, plan.mode(), agent,
                        draft.messages().getOrDefault(agent.agentId(), plan.messages()), null, finalReply,
                        plan.agentsDeadline(), null, plan.watched()))
                .toList();
    }

    private ProgressUpdated planned(PlanCreated plan, Instant now) {
        return new ProgressUpdated(plan.correlationId(), newId(), now, ConclaveEvent.SCHEMA_VERSION,
                ProgressKind.PLANNED, null, null, null, null, 0);
    }

    private AgentSpec spec(String correlationId, String agentId, Role role, AgentChoice choice, int maxTokens) {
        String provider = choice != null && choice.provider() != null && !choice.provider().isBlank()
                ? choice.provider() : config.provider();
        String model = choice != null && choice.model() != null && !choice.model().isBlank()
                ? choice.model() : config.model().orElse(null);
        return new AgentSpec(agentId, correlationId + "." + agentId, role.name(), role.systemPrompt(),
                provider, model, role.temperature(), maxTokens);
    }

    private static Strategy contemplatingStrategy(RequestSubmitted request) {
        Strategy asked = request.strategy();
        return asked == null || asked == Strategy.SINGLE ? Strategy.SYNTHESIZE : asked;
    }

    /** The client's quorum (at most the agents), else a strict majority of the agents. */
    private static int quorum(RequestSubmitted request, int agents) {
        return request.quorum() != null ? clamp(request.quorum(), 1, agents) : agents / 2 + 1;
    }

    /** The client's max tokens caps the reply's budget; it never raises it. */
    private static int finalReplyTokens(RequestSubmitted request, int configured) {
        Integer asked = request.maxTokens();
        return asked != null && asked > 0 ? Math.min(asked, configured) : configured;
    }

    private Duration deadlineOf(RequestSubmitted request) {
        if (request.deadlineMs() != null && request.deadlineMs() > 0) {
            return Duration.ofMillis(request.deadlineMs());
        }
        return switch (request.mode()) {
            case INSTANT -> config.instant().deadline();
            case THINKING -> config.thinking().deadline();
            case CONTEMPLATING -> config.contemplating().deadline();
        };
    }

    private static void requireUsable(RequestSubmitted request) {
        if (request == null) {
            throw new IllegalArgumentException("no request: the record's value was empty or could not be read");
        }
        if (request.correlationId() == null || request.correlationId().isBlank()) {
            throw new IllegalArgumentException("request " + request.eventId() + " has no correlationId");
        }
        if (request.mode() == null) {
            throw new IllegalArgumentException("request " + request.correlationId() + " has no mode");
        }
        if (request.messages() == null || request.messages().isEmpty()) {
            throw new IllegalArgumentException("request " + request.correlationId() + " has no messages");
        }
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
