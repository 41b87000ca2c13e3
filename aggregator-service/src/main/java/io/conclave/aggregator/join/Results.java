package io.conclave.aggregator.join;

import io.conclave.contracts.AgentReport;
import io.conclave.contracts.AgentSpec;
import io.conclave.contracts.AgentStatus;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.PlanCreated;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
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

    private Results() {
    }

    /**
     * The request's answer. Its event ID is derived from the correlation ID, so a copy republished
     * after a crash carries the same ID as the first.
     *
     * @param closing the join as it was when it closed (its phase tells whether a synthesis was awaited)
     */
    static RequestCompleted of(JoinState closing, RequestStatus status, String content, String error, Instant now) {
        PlanCreated plan = closing.plan();
        String eventId = UUID.nameUUIDFromBytes((plan.correlationId() + "/result")
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new RequestCompleted(plan.correlationId(), eventId, now, ConclaveEvent.SCHEMA_VERSION,
                plan.tenantId(), plan.model(), plan.mode(), plan.strategy(), status, content, error,
                reports(closing), usage(closing), llmMs(closing), plan.submittedAt());
    }

    private static List<AgentReport> reports(JoinState closing) {
        List<AgentReport> reports = new ArrayList<>();
        for (AgentSpec agent : closing.plan().agents()) {
            reports.add(closing.agentOutcome(agent.subtaskId())
                    .map(o -> report(agent, o))
                    .orElseGet(() -> late(agent, MISSED_AGENTS_DEADLINE)));
        }
        AgentSpec synthesis = closing.plan().synthesis();
        if (closing.synthesis() != null) {
            reports.add(report(synthesis, closing.synthesis()));
        } else if (closing.phase() == JoinState.Phase.SYNTHESIZING) {
            reports.add(late(synthesis, MISSED_DEADLINE));
        }
        return reports;
    }

    private static AgentReport report(AgentSpec spec, Outcome outcome) {
        return new AgentReport(spec.agentId(), spec.role(), spec.model() != null ? spec.model() : outcome.model(),
                outcome.completed() ? AgentStatus.COMPLETE : AgentStatus.FAILED, outcome.latencyMs(),
                outcome.usage(), outcome.completed() ? outcome.outputTokens() : null,
                outcome.completed() ? outcome.notesTokens() : null, outcome.answer(), outcome.reason());
    }

    private static AgentReport late(AgentSpec spec, String reason) {
        return new AgentReport(spec.agentId(), spec.role(), spec.model(), AgentStatus.LATE, null, null, null, null,
                null, reason);
    }

    /** Tokens of every sub-task that reported in time, the synthesis included. */
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
        return new TokenUsage(prompt, completion, total);
    }

    /** The agents ran in parallel, so only the slowest one counts; the synthesis came after them. */
    private static long llmMs(JoinState closing) {
        long agents = closing.agents().stream().mapToLong(Outcome::llmMs).max().orElse(0);
        return agents + (closing.synthesis() != null ? closing.synthesis().llmMs() : 0);
    }

    private static Stream<Outcome> recorded(JoinState closing) {
        return closing.synthesis() == null ? closing.agents().stream()
                : Stream.concat(closing.agents().stream(), Stream.of(closing.synthesis()));
    }
}
