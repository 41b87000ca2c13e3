package io.conclave.worker.llm;

import io.conclave.contracts.ChatMessage;
import java.util.List;

/**
 * What one agent asks of a model; everything that may differ between agents of one request travels here, in
 * the request body, rather than in the client.
 *
 * @param model the upstream model, or null for the provider's default
 * @param temperature null to leave it to the provider
 * @param maxTokens null or non-positive to leave it to the provider
 * @param tools the functions offered, empty for none
 * @param toolsRefused whether the model must answer with text this turn ({@code tool_choice: none}); the tools
 *     stay listed because earlier turns of the conversation used them
 * @param stream whether somebody watches the tokens as they come: a call nobody watches is made without
 *     streaming (one response body instead of an event per token), unless its provider is set to always stream
 */
public record LlmRequest(String model, List<LlmMessage> messages, Double temperature, Integer maxTokens,
        List<ToolSpec> tools, boolean toolsRefused, boolean stream) {

    public LlmRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("an LLM request needs at least one message");
        }
    }

    /** A plain text request without tools, streamed. */
    public LlmRequest(String model, List<ChatMessage> messages, Double temperature, Integer maxTokens) {
        this(model, messages.stream().map(LlmMessage::of).toList(), temperature, maxTokens, List.of(), false, true);
    }
}
