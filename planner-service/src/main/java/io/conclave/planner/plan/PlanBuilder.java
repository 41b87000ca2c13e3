package io.conclave.planner.plan;

import io.conclave.contracts.AgentSpec;
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
import java.util.List;
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
        if (config.maxAgents() < 1) {
            throw new IllegalArgumentException("conclave.planner.max-agents must be at least 1, is " + config.maxAgents());
        }
        this.config = config;
        this.roles = roles;
        this.clock = clock;
    }

    /**
     * Plans one request.
     *
     * @throws IllegalArgumentException when the request lacks what any plan needs (correlation ID,
     *     mode, messages); such a record is a poison record and goes to the dead-letter topic
     */
    public PlannedRequest plan(RequestSubmitted request) {
        requireUsable(request);
        Instant now = clock.instant();
        Instant submittedAt = request.occurredAt() != null ? request.occurredAt() : now;
        Duration budget = deadlineOf(request);
        Instant deadline = submittedAt.plus(budget);

        PlanCreated plan = switch (request.mode()) {
            case INSTANT -> singleAgentPlan(request, roles.assistant(), now, submittedAt, deadline);
            case THINKING -> singleAgentPlan(request, roles.thinker(), now, submittedAt, deadline);
            case CONTEMPLATING -> contemplatingPlan(request, now, submittedAt, budget, deadline);
        };
        return new PlannedRequest(plan, subtasksOf(plan, now), planned(plan, now));
    }

    private PlanCreated singleAgentPlan(RequestSubmitted request, Role role, Instant now, Instant submittedAt,
            Instant deadline) {
        AgentSpec agent = spec(request.correlationId(), "a1", role, finalReplyTokens(request, config.agentMaxTokens()));
        return new PlanCreated(request.correlationId(), newId(), now, ConclaveEvent.SCHEMA_VERSION,
                request.tenantId(), request.model(), request.mode(), Strategy.SINGLE, request.messages(),
                List.of(agent), null, null, 1, submittedAt, deadline, deadline);
    }

    private PlanCreated contemplatingPlan(RequestSubmitted request, Instant now, Instant submittedAt, Duration budget,
            Instant deadline) {
        int n = agentCount(request);
        List<Role> agentRoles = roles.contemplating(n);
        List<AgentSpec> agents = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            agents.add(spec(request.correlationId(), "a" + (i + 1), agentRoles.get(i), config.agentMaxTokens()));
        }
        AgentSpec synthesis = spec(request.correlationId(), SYNTHESIS_ID, roles.synthesizer(),
                finalReplyTokens(request, config.synthesisMaxTokens()));
        Strategy strategy = contemplatingStrategy(request);
        Integer quorum = strategy == Strategy.VOTE ? quorum(request, n) : null;
        long agentsMillis = Math.round(budget.toMillis() * (1 - config.synthesisShare()));
        return new PlanCreated(request.correlationId(), newId(), now, ConclaveEvent.SCHEMA_VERSION,
                request.tenantId(), request.model(), Mode.CONTEMPLATING, strategy, request.messages(),
                List.copyOf(agents), synthesis, quorum, 1, submittedAt, submittedAt.plusMillis(agentsMillis), deadline);
    }

    private List<SubtaskAssigned> subtasksOf(PlanCreated plan, Instant now) {
        boolean finalReply = plan.synthesis() == null && plan.agents().size() == 1;
        return plan.agents().stream()
                .map(agent -> new SubtaskAssigned(plan.correlationId(), newId(), now, ConclaveEvent.SCHEMA_VERSION,
                        agent.subtaskId(), SubtaskKind.AGENT, plan.mode(), agent, plan.messages(), null, finalReply,
                        plan.agentsDeadline()))
                .toList();
    }

    private ProgressUpdated planned(PlanCreated plan, Instant now) {
        return new ProgressUpdated(plan.correlationId(), newId(), now, ConclaveEvent.SCHEMA_VERSION,
                ProgressKind.PLANNED, null, null, null, null, 0);
    }

    private AgentSpec spec(String correlationId, String agentId, Role role, int maxTokens) {
        return new AgentSpec(agentId, correlationId + "." + agentId, role.name(), role.systemPrompt(),
                config.provider(), config.model().orElse(null), role.temperature(), maxTokens);
    }

    private int agentCount(RequestSubmitted request) {
        int asked = request.agents() != null ? request.agents() : config.contemplating().agents();
        return clamp(asked, 1, config.maxAgents());
    }

    private static Strategy contemplatingStrategy(RequestSubmitted request) {
        Strategy asked = request.strategy();
        return asked == null || asked == Strategy.SINGLE ? Strategy.SYNTHESIZE : asked;
    }

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
