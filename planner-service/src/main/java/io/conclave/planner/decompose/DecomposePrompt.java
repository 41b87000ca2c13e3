package io.conclave.planner.decompose;

import io.conclave.contracts.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The planning prompt of {@code decompose}: the conversation, and a system message asking for independent
 * sub-questions as JSON of {@link DecompositionSchema}. It carries the marker {@value #MARKER} so that the LLM
 * simulator recognises a planning call and answers it with a plan.
 */
public final class DecomposePrompt {

    public static final String MARKER = "[conclave:decompose]";

    private DecomposePrompt() {
    }

    /**
     * @param max the most sub-questions the plan may have (its agents)
     * @param problem why the previous answer was rejected, for the one retry; null on the first call
     */
    public static List<ChatMessage> messages(List<ChatMessage> conversation, int max, String problem) {
        List<ChatMessage> messages = new ArrayList<>(conversation.size() + 1);
        messages.add(new ChatMessage("system", system(max, problem)));
        conversation.stream().filter(m -> !"system".equals(m.role())).forEach(messages::add);
        return messages;
    }

    static String system(int max, String problem) {
        String text = MARKER + " You plan how a team answers the user's last request. Split it into independent"
                + " sub-questions that can be answered in parallel without seeing each other's answers, and that"
                + " together answer the request: at most " + max + " sub-questions, fewer when the request is"
                + " simple. Reply with JSON only, no prose, matching this JSON Schema: "
                + DecompositionSchema.schema(max);
        return problem == null ? text
                : text + "\nYour previous reply was rejected: " + problem + ". Reply with valid JSON only.";
    }
}
