package io.conclave.gateway.api;

import io.conclave.contracts.AgentChoice;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.Strategy;
import java.util.List;

/**
 * A validated {@code POST /v1/chat/completions} body. Options the client left out are null, so the
 * planner's defaults apply.
 *
 * @param model the mode the client chose, by model name or by {@code reasoning_effort} with model {@code conclave}
 * @param modelName the model name as the client sent it, echoed in replies
 * @param maxTokens {@code max_completion_tokens}, else {@code max_tokens}
 * @param includeUsage {@code stream_options.include_usage}: a streamed reply ends with a usage chunk
 * @param agentChoices {@code conclave.agents} as a list of {@code {role, model?, provider?}}, else null;
 *     {@code agents} is then its size
 */
public record ChatRequest(
        PublicModel model,
        String modelName,
        List<ChatMessage> messages,
        Integer maxTokens,
        Double temperature,
        boolean stream,
        boolean includeUsage,
        Integer agents,
        Strategy strategy,
        Long deadlineMs,
        Integer quorum,
        List<AgentChoice> agentChoices) {

    public ChatRequest {
        messages = List.copyOf(messages);
    }

    /** A request whose agents are only counted ({@code conclave.agents} as a number or left out). */
    public ChatRequest(PublicModel model, String modelName, List<ChatMessage> messages, Integer maxTokens,
            Double temperature, boolean stream, boolean includeUsage, Integer agents, Strategy strategy,
            Long deadlineMs, Integer quorum) {
        this(model, modelName, messages, maxTokens, temperature, stream, includeUsage, agents, strategy, deadlineMs,
                quorum, null);
    }
}
