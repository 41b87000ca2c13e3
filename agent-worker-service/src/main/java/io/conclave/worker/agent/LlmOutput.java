package io.conclave.worker.agent;

import io.conclave.contracts.TokenUsage;
import io.conclave.worker.llm.ChatChunk;
import io.conclave.worker.llm.ToolCall;
import io.conclave.worker.llm.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What one streamed call produced, gathered chunk by chunk on the sub-task's context. */
final class LlmOutput {

    private final StringBuilder text = new StringBuilder();
    private String finishReason;
    private TokenUsage usage;
    private final Map<Integer, PartialCall> calls = new TreeMap<>();

    void add(ChatChunk chunk) {
        text.append(chunk.content());
        for (ToolCallDelta delta : chunk.toolCalls()) {
            calls.computeIfAbsent(delta.index(), index -> new PartialCall()).add(delta);
        }
        if (chunk.finishReason() != null) {
            finishReason = chunk.finishReason();
        }
        if (chunk.usage() != null) {
            usage = chunk.usage();
        }
    }

    String text() {
        return text.toString();
    }

    /** {@code stop}, {@code length}, …, or null if the provider sent none. */
    String finishReason() {
        return finishReason;
    }

    /** The tool calls the model asked for, in index order; empty when it answered with text. */
    List<ToolCall> toolCalls() {
        List<ToolCall> complete = new ArrayList<>(calls.size());
        calls.forEach((index, call) -> complete.add(call.toToolCall(index)));
        return complete;
    }

    /** The provider's own count, or null if it sent no usage chunk. */
    TokenUsage usage() {
        return usage;
    }

    /** A streamed tool call being put together: ID and name from its first piece, arguments concatenated. */
    private static final class PartialCall {
        private String id;
        private String name;
        private final StringBuilder arguments = new StringBuilder();

        void add(ToolCallDelta delta) {
            if (delta.id() != null) {
                id = delta.id();
            }
            if (delta.name() != null) {
                name = name == null ? delta.name() : name;
            }
            arguments.append(delta.arguments());
        }

        ToolCall toToolCall(int index) {
            return new ToolCall(id == null ? "call_" + index : id, name == null ? "" : name, arguments.toString());
        }
    }
}
