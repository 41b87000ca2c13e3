package io.conclave.worker.llm;

import io.conclave.contracts.TokenUsage;
import java.util.List;

/**
 * One server-sent event of a streamed chat completion, reduced to what the worker uses.
 *
 * @param content the text delta, empty when the event carries none
 * @param finishReason {@code stop}, {@code length}, … on the choice's last event, else null
 * @param usage the token counts of the whole call, on the final usage event only, else null
 * @param toolCalls pieces of tool calls this event carries, empty when none
 */
public record ChatChunk(String content, String finishReason, TokenUsage usage, List<ToolCallDelta> toolCalls) {

    public ChatChunk {
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public ChatChunk(String content, String finishReason, TokenUsage usage) {
        this(content, finishReason, usage, List.of());
    }
}
