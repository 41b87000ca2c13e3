package io.conclave.worker.agent;

import io.conclave.contracts.TokenUsage;
import io.conclave.worker.llm.ChatChunk;

/** What one streamed call produced, gathered chunk by chunk on the sub-task's context. */
final class LlmOutput {

    private final StringBuilder text = new StringBuilder();
    private String finishReason;
    private TokenUsage usage;

    void add(ChatChunk chunk) {
        text.append(chunk.content());
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

    /** The provider's own count, or null if it sent no usage chunk. */
    TokenUsage usage() {
        return usage;
    }
}
