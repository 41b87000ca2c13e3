package io.conclave.worker.synthesis;

import io.conclave.contracts.AgentNotes;
import io.conclave.contracts.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompt of a synthesis sub-task: it turns the council's compressed notes into one reply (the
 * Mixture-of-Agents aggregation step). The model is told to weigh agreement and disagreement and to correct
 * errors rather than average, and to end with an {@code Answer:} line like every agent, so the reply's answer can
 * be found the same way.
 */
public final class SynthesisPrompt {

    private SynthesisPrompt() {
    }

    /**
     * @param conversation the client's conversation; its last user message is the question
     * @param notes each agent's answer and notes, in plan order
     * @param instructions extra instructions from the plan, or null
     * @return a system message and one user message
     */
    public static List<ChatMessage> messages(List<ChatMessage> conversation, List<AgentNotes> notes,
            String instructions) {
        return List.of(new ChatMessage("system", system(notes.size(), instructions)),
                new ChatMessage("user", user(question(conversation), notes)));
    }

    static String system(int agents, String instructions) {
        String council = agents == 1 ? "a council of 1 agent" : "a council of " + agents + " agents";
        String text = "You compose the final answer of " + council + " who each worked on the same question "
                + "independently. Weigh where they agree and where they disagree: agreement is evidence, not proof, "
                + "and a single agent with a sound argument can be right against the rest. Check their reasoning, "
                + "correct any errors you find, and do not mention the agents or this process. Write the reply "
                + "for the person who asked, and finish with a last line of the form `Answer: <final answer>`.";
        return instructions == null || instructions.isBlank() ? text : text + "\n\n" + instructions.strip();
    }

    static String user(String question, List<AgentNotes> notes) {
        StringBuilder text = new StringBuilder("Question:\n").append(question).append("\n\n")
                .append("The agents' answers and notes:\n");
        int index = 1;
        for (AgentNotes agent : notes) {
            text.append("\nAgent ").append(index++);
            if (agent.role() != null && !agent.role().isBlank()) {
                text.append(" (").append(agent.role()).append(')');
            }
            text.append("\nAnswer: ").append(orNone(agent.answer()))
                    .append("\nNotes: ").append(orNone(agent.notes())).append('\n');
        }
        return text.toString();
    }

    /** The last user message of the conversation: the question being answered. */
    static String question(List<ChatMessage> conversation) {
        List<ChatMessage> messages = conversation == null ? List.of() : new ArrayList<>(conversation);
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role())) {
                return orNone(messages.get(i).content());
            }
        }
        return "(no question was given)";
    }

    private static String orNone(String text) {
        return text == null || text.isBlank() ? "(none)" : text.strip();
    }
}
