package io.conclave.gateway.api;

import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.Strategy;
import java.util.List;

/**
 * A validated {@code POST /v1/chat/completions} body. Options the client left out are null, so the
 * planner's defaults apply.
 *
 * @param maxTokens {@code max_completion_tokens}, else {@code max_tokens}
 */
public record ChatRequest(
        PublicModel model,
        List<ChatMessage> messages,
        Integer maxTokens,
        Double temperature,
        boolean stream,
        Integer agents,
        Strategy strategy,
        Long deadlineMs,
        Integer quorum) {

    public ChatRequest {
        messages = List.copyOf(messages);
    }
}
