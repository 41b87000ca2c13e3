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
 */
public record LlmRequest(String model, List<ChatMessage> messages, Double temperature, Integer maxTokens) {

    public LlmRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("an LLM request needs at least one message");
        }
    }
}
