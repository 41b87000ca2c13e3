package io.conclave.worker.agent;

import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskKind;
import io.conclave.worker.synthesis.SynthesisPrompt;
import java.util.ArrayList;
import java.util.List;

/** The messages sent to the model for a sub-task: the agent's role prompt on the conversation, or a synthesis. */
final class SubtaskPrompt {

    private SubtaskPrompt() {
    }

    static List<ChatMessage> messages(SubtaskAssigned task) {
        if (task.kind() == SubtaskKind.SYNTHESIS) {
            return SynthesisPrompt.messages(task.messages(), task.notes(), task.agent().systemPrompt());
        }
        List<ChatMessage> messages = new ArrayList<>(task.messages().size() + 1);
        String system = task.agent().systemPrompt();
        if (system != null && !system.isBlank()) {
            messages.add(new ChatMessage("system", system));
        }
        messages.addAll(task.messages());
        return messages;
    }

    /** Why the sub-task cannot be run, or null when it can. */
    static String problem(SubtaskAssigned task) {
        if (task.kind() == null) {
            return "it has no kind";
        }
        if (task.agent() == null) {
            return "it names no agent";
        }
        if (task.kind() == SubtaskKind.AGENT && (task.messages() == null || task.messages().isEmpty())) {
            return "it carries no conversation";
        }
        if (task.kind() == SubtaskKind.SYNTHESIS && (task.notes() == null || task.notes().isEmpty())) {
            return "it carries no agent notes to synthesize";
        }
        return null;
    }
}
