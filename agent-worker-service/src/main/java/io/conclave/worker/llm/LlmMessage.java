package io.conclave.worker.llm;

import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ContentPart;
import java.util.List;

/**
 * One message of a conversation as the chat-completions API has it, tool turns included: an assistant message
 * that asks for tool calls, and the {@code tool} messages that answer them.
 *
 * @param content the text; null for an assistant message that only asks for tools
 * @param toolCalls the calls an assistant message asks for, empty otherwise
 * @param toolCallId the call a {@code tool} message answers, null otherwise
 * @param parts the content as parts (text and {@code image_url}) when the message has images, else null
 */
public record LlmMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId,
        List<ContentPart> parts) {

    public LlmMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        parts = parts == null ? null : List.copyOf(parts);
    }

    public LlmMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId) {
        this(role, content, toolCalls, toolCallId, null);
    }

    public static LlmMessage of(ChatMessage message) {
        return new LlmMessage(message.role(), message.content(), List.of(), null, message.parts());
    }

    public static LlmMessage askingForTools(String content, List<ToolCall> calls) {
        return new LlmMessage("assistant", content == null || content.isEmpty() ? null : content, calls, null);
    }

    public static LlmMessage toolResult(String toolCallId, String content) {
        return new LlmMessage("tool", content, List.of(), toolCallId);
    }
}
