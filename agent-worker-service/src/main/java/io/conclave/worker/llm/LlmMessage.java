package io.conclave.worker.llm;

import io.conclave.contracts.ChatMessage;
import java.util.List;

/**
 * One message of a conversation as the chat-completions API has it, tool turns included: an assistant message
 * that asks for tool calls, and the {@code tool} messages that answer them.
 *
 * @param content the text; null for an assistant message that only asks for tools
 * @param toolCalls the calls an assistant message asks for, empty otherwise
 * @param toolCallId the call a {@code tool} message answers, null otherwise
 */
public record LlmMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId) {

    public LlmMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static LlmMessage of(ChatMessage message) {
        return new LlmMessage(message.role(), message.content(), List.of(), null);
    }

    public static LlmMessage askingForTools(String content, List<ToolCall> calls) {
        return new LlmMessage("assistant", content == null || content.isEmpty() ? null : content, calls, null);
    }

    public static LlmMessage toolResult(String toolCallId, String content) {
        return new LlmMessage("tool", content, List.of(), toolCallId);
    }
}
