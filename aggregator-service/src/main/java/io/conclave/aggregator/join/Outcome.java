package io.conclave.aggregator.join;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.conclave.contracts.SubtaskCompleted;
import io.conclave.contracts.SubtaskFailed;
import io.conclave.contracts.TokenUsage;
import io.conclave.contracts.ToolCallRecord;
import java.util.List;

/**
 * What one sub-task reported, kept in the join's state: the two wire events folded into one shape
 * so the join rules need not care which of them arrived.
 *
 * @param answer the sub-task's answer, null when it failed
 * @param reason why it failed, null when it completed
 * @param usage tokens it spent, null when the worker did not say
 * @param tools the agent's tool calls (compressed), null when it made none; passed on to the agent's report
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Outcome(
        String subtaskId,
        String agentId,
        boolean completed,
        String role,
        String model,
        String answer,
        String notes,
        String reason,
        TokenUsage usage,
        long outputTokens,
        long notesTokens,
        long latencyMs,
        long llmMs,
        List<ToolCallRecord> tools) {

    /** An outcome without tool calls. */
    public Outcome(String subtaskId, String agentId, boolean completed, String role, String model, String answer,
            String notes, String reason, TokenUsage usage, long outputTokens, long notesTokens, long latencyMs,
            long llmMs) {
        this(subtaskId, agentId, completed, role, model, answer, notes, reason, usage, outputTokens, notesTokens,
                latencyMs, llmMs, null);
    }

    public static Outcome of(SubtaskCompleted event) {
        return new Outcome(event.subtaskId(), event.agentId(), true, event.role(), event.model(), event.answer(),
                event.notes(), null, event.usage(), event.outputTokens(), event.notesTokens(), event.latencyMs(),
                event.llmMs(), event.tools());
    }

    /** A failed sub-task reports no LLM time: it counts as zero on the critical path. */
    public static Outcome of(SubtaskFailed event) {
        return new Outcome(event.subtaskId(), event.agentId(), false, event.role(), null, null, null,
                event.reason() != null ? event.reason() : "no reason given", event.usage(), 0, 0,
                event.latencyMs(), 0);
    }
}
