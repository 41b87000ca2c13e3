package io.conclave.aggregator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.conclave.contracts.AgentSpec;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.Mode;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.SubtaskCompleted;
import io.conclave.contracts.SubtaskFailed;
import io.conclave.contracts.SubtaskKind;
import io.conclave.contracts.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Plans and partials as the planner and the workers write them, for the join's tests. */
public final class Fixtures {

    public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    /** Agents' deadline of {@link #plan}: 45 s after submission. */
    public static final Instant AGENTS_DEADLINE = T0.plusSeconds(45);
    /** Request deadline of {@link #plan}: 60 s after submission. */
    public static final Instant DEADLINE = T0.plusSeconds(60);
    public static final TokenUsage USAGE = new TokenUsage(10, 20, 30);
    public static final List<ChatMessage> MESSAGES = List.of(new ChatMessage("user", "What is 6 times 7?"));

    private Fixtures() {
    }

    /** Configured as Quarkus configures its ObjectMapper. */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** A contemplating plan with agents a1…aN and a synthesis, submitted at T0. */
    public static PlanCreated plan(String cid, int agents, int minSuccessful) {
        return plan(cid, agents, minSuccessful, T0, AGENTS_DEADLINE, DEADLINE);
    }

    public static PlanCreated plan(String cid, int agents, int minSuccessful, Instant submittedAt,
            Instant agentsDeadline, Instant deadline) {
        List<AgentSpec> specs = new ArrayList<>();
        for (int i = 1; i <= agents; i++) {
            specs.add(agent(cid, "a" + i, i == 2 ? null : "sim-model"));
        }
        AgentSpec synthesis = new AgentSpec("synthesis", cid + ".synthesis", "synthesizer", "Compose.", "default",
                "sim-model", 0.2, 512);
        return new PlanCreated(cid, UUID.randomUUID().toString(), submittedAt, ConclaveEvent.SCHEMA_VERSION, "local",
                "conclave-contemplating", Mode.CONTEMPLATING, Strategy.SYNTHESIZE, MESSAGES, specs, synthesis, null,
                minSuccessful, submittedAt, agentsDeadline, deadline);
    }

    /** An instant plan: one agent whose answer is the reply, no synthesis. */
    /** A vote over {@code agents} agents: no synthesis, the agents' deadline is the request's. */
    public static PlanCreated vote(String cid, int agents, int quorum, int minSuccessful, Instant deadline) {
        PlanCreated base = plan(cid, agents, minSuccessful, T0, deadline, deadline);
        return new PlanCreated(cid, base.eventId(), T0, ConclaveEvent.SCHEMA_VERSION, "local",
                "conclave-contemplating", Mode.CONTEMPLATING, Strategy.VOTE, MESSAGES, base.agents(), null, quorum,
                minSuccessful, T0, deadline, deadline);
    }

    public static PlanCreated single(String cid) {
        return single(cid, DEADLINE);
    }

    /** An instant plan whose one deadline (agents' and request's alike) is {@code deadline}. */
    public static PlanCreated single(String cid, Instant deadline) {
        return new PlanCreated(cid, UUID.randomUUID().toString(), T0, ConclaveEvent.SCHEMA_VERSION, "local",
                "conclave-instant", Mode.INSTANT, Strategy.SINGLE, MESSAGES, List.of(agent(cid, "a1", "sim-model")),
                null, null, 1, T0, deadline, deadline);
    }

    public static Duration untilAgentsDeadline() {
        return Duration.between(T0, AGENTS_DEADLINE);
    }

    public static SubtaskCompleted completed(String cid, String agentId, String answer) {
        return completed(cid, agentId, answer, 700);
    }

    public static SubtaskCompleted completed(String cid, String agentId, String answer, long llmMs) {
        return new SubtaskCompleted(cid, UUID.randomUUID().toString(), T0, ConclaveEvent.SCHEMA_VERSION,
                cid + "." + agentId, agentId, SubtaskKind.AGENT, "role-" + agentId, "default", "sim-model", answer,
                "notes of " + agentId, USAGE, 20, 5, 800, llmMs);
    }

    public static SubtaskFailed failed(String cid, String agentId, String reason) {
        return new SubtaskFailed(cid, UUID.randomUUID().toString(), T0, ConclaveEvent.SCHEMA_VERSION,
                cid + "." + agentId, agentId, SubtaskKind.AGENT, "role-" + agentId, reason, USAGE, 300);
    }

    public static SubtaskCompleted synthesisCompleted(String cid, String answer, long llmMs) {
        return new SubtaskCompleted(cid, UUID.randomUUID().toString(), T0, ConclaveEvent.SCHEMA_VERSION,
                cid + ".synthesis", "synthesis", SubtaskKind.SYNTHESIS, "synthesizer", "default", "sim-model", answer,
                "", USAGE, 20, 0, 900, llmMs);
    }

    public static SubtaskFailed synthesisFailed(String cid, String reason) {
        return new SubtaskFailed(cid, UUID.randomUUID().toString(), T0, ConclaveEvent.SCHEMA_VERSION,
                cid + ".synthesis", "synthesis", SubtaskKind.SYNTHESIS, "synthesizer", reason, null, 100);
    }

    private static AgentSpec agent(String cid, String agentId, String model) {
        return new AgentSpec(agentId, cid + "." + agentId, "role-" + agentId, "You are " + agentId + ".", "default",
                model, 0.7, 1024);
    }
}
