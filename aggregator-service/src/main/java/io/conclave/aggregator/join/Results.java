package io.conclave.aggregator.join;

import io.conclave.contracts.AgentReport;
import io.conclave.contracts.AgentSpec;
import io.conclave.contracts.AgentStatus;
import io.conclave.contracts.CompressionTotals;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.PlanningReport;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** Maps a closing join to its wire {@link RequestCompleted}: one report per agent, usage and LLM time. */
final class Results {

    static final String MISSED_AGENTS_DEADLINE = "missed the agents' deadline";
    static final String MISSED_DEADLINE = "missed the request's deadline";
    static final String NOT_NEEDED = "not needed: the vote reached its quorum";
    /** Agent ID of the planner's own LLM call in the reports. */
    static final String PLANNER_ID = "planner";

    private Results() {
    }

    /**
     * The request's answer. Its event ID is derived from the correlation ID, so a copy republished
     * after a crash carries the same ID as the first.
     *
     * @param closing the join as it was when it closed (its phase tells whether a synthesis was awaited)
     * @param decidedEarly a vote stopped at its quorum: agents that had not reported were cancelled, not late
     */
    static RequestCompleted of(JoinState closing, RequestStatus status, String content, String error, Instant now,
            boolean decidedEarly) {
        PlanCreated plan = closing.plan();
        String eventId = UUID.nameUUIDFromBytes((plan.correlationId() + "/result")
                .getBytes(StandardCharsets.UTF_8)).toString();
        Integer callsSaved = null;
        if (decidedEarly) {
            callsSaved = Failures.lateAgents(closing).size();
        } else if (plan.strategy() == Strategy.VOTE) {
            callsSaved = 0;
        }
        return new RequestCompleted(plan.correlationId(), eventId, now, ConclaveEvent.SCHEMA_VERSION,
                plan.tenantId(), plan.model(), plan.mode(), plan.strategy(), status, content, error,
                reports(closing, decidedEarly), usage(closing), llmMs(closing), plan.submittedAt(), callsSaved,
                plan.subQuestions(), plan.planning() != null ? plan.planning().fallback() : null,
                compression(closing));
    }

    private static List<AgentReport> reports(JoinState closing, boolean decidedEarly) {
        List<AgentReport> reports = new ArrayList<>();
        for (AgentSpec agent : closing.plan().agents()) {
            reports.add(closing.agentOutcome(agent.subtaskId())
                    .map(o -> report(agent, o))
                    .orElseGet(() -> decidedEarly ? cancelled(agent) : late(agent, MISSED_AGENTS_DEADLINE)));
        }
        AgentSpec synthesis = closing.plan().synthesis();
        if (closing.synthesis() != null) {
            reports.add(report(synthesis, closing.synthesis()));
        } else if (closing.phase() == JoinState.Phase.SYNTHESIZING) {
            reports.add(late(synthesis, MISSED_DEADLINE));
        }
        PlanningReport planning = closing.plan().planning();
        if (planning != null) {
            reports.add(new AgentReport(PLANNER_ID, PLANNER_ID, planning.model(),
                    planning.fallback() == null ? AgentStatus.COMPLETE : AgentStatus.FAILED, planning.latencyMs(),
                    planning.usage(), null, null, null, planning.fallback()));
        }
        return reports;
    }

    private static AgentReport cancelled(AgentSpec spec) {
        return new AgentReport(spec.agentId(), spec.role(), spec.model(), AgentStatus.CANCELLED, null, null, null,
                null, null, NOT_NEEDED, null, spec.provider());
    }

    /** Full outputs against notes of the agents that completed (the synthesis is the reply, not compressed). */
    private static CompressionTotals compression(JoinState closing) {
        long output = 0;
        long notes = 0;
        for (Outcome outcome : closing.agents()) {
            if (outcome.completed()) {
                output += outcome.outputTokens();
                notes += outcome.notesTokens();
            }
        }
        return new CompressionTotals(output, notes);
    }

    private static AgentReport report(AgentSpec spec, Outcome outcome) {
        return new AgentReport(spec.agentId(), spec.role(), spec.model() != null ? spec.model() : outcome.model(),
                outcome.completed() ? AgentStatus.COMPLETE : AgentStatus.FAILED, outcome.latencyMs(),
                outcome.usage(), outcome.completed() ? outcome.outputTokens() : null,
                outcome.completed() ? outcome.notesTokens() : null, outcome.answer(), outcome.reason(),
                outcome.tools(), spec.provider());
    }

    private static AgentReport late(AgentSpec spec, String reason) {
        return new AgentReport(spec.agentId(), spec.role(), spec.model(), AgentStatus.LATE, null, null, null, null,
                null, reason, null, spec.provider());
    }

    /** Tokens of every sub-task that reported in time, the synthesis and the planner's calls included. */
    private static TokenUsage usage(JoinState closing) {
        long prompt = 0;
        long completion = 0;
        long total = 0;
        for (Outcome outcome : recorded(closing).toList()) {
            if (outcome.usage() != null) {
                prompt += outcome.usage().promptTokens();
                completion += outcome.usage().completionTokens();
                total += outcome.usage().totalTokens();
            }
        }
        TokenUsage planning = closing.plan().planning() != null ? closing.plan().planning().usage() : null;
        if (planning != null) {
            prompt += planning.promptTokens();
            completion += planning.completionTokens();
            total += planning.totalTokens();
        }
        return new TokenUsage(prompt, completion, total);
    }

    /** The planning call came first; the agents ran in parallel, so only the slowest one counts; then the synthesis. */
    private static long llmMs(JoinState closing) {
        long agents = closing.agents().stream().mapToLong(Outcome::llmMs).max().orElse(0);
        long planning = closing.plan().planning() != null ? closing.plan().planning().latencyMs() : 0;
        return planning + agents + (closing.synthesis() != null ? closing.synthesis().llmMs() : 0);
    }

    private static Stream<Outcome> recorded(JoinState closing) {
        return closing.synthesis() == null ? closing.agents().stream()
                : Stream.concat(closing.agents().stream(), Stream.of(closing.synthesis()));
    }
}
