package io.conclave.worker.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.AgentNotes;
import io.conclave.contracts.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SynthesisPromptTest {

    private final List<ChatMessage> conversation = List.of(
            new ChatMessage("user", "What is 6 times 6?"),
            new ChatMessage("assistant", "36."),
            new ChatMessage("user", "And 6 times 7?"));
    private final List<AgentNotes> notes = List.of(
            new AgentNotes("a1", "solver", "42", "Answer: 42\n6*7=42."),
            new AgentNotes("a2", "skeptic", "41", "Answer: 41\nAdded instead of multiplied."),
            new AgentNotes("a3", "verifier", "42", null));

    @Test
    void theSystemPromptDescribesTheCouncilAndTheAnswerLine() {
        List<ChatMessage> messages = SynthesisPrompt.messages(conversation, notes, null);
        assertEquals(2, messages.size());
        assertEquals("system", messages.get(0).role());
        String system = messages.get(0).content();
        assertTrue(system.contains("final answer of a council of 3 agents"), system);
        assertTrue(system.contains("agree") && system.contains("disagree"), system);
        assertTrue(system.contains("correct any errors"), system);
        assertTrue(system.contains("Answer: <final answer>"), system);
    }

    @Test
    void theUserMessageHoldsTheLastQuestionAndEveryAgentsRoleAnswerAndNotes() {
        String user = SynthesisPrompt.messages(conversation, notes, null).get(1).content();
        assertTrue(user.startsWith("Question:\nAnd 6 times 7?\n"), user);
        assertTrue(!user.contains("6 times 6"), "only the question being answered");
        assertTrue(user.contains("Agent 1 (solver)\nAnswer: 42\nNotes: Answer: 42\n6*7=42."), user);
        assertTrue(user.contains("Agent 2 (skeptic)\nAnswer: 41\nNotes: Answer: 41\nAdded instead of multiplied."),
                user);
        assertTrue(user.contains("Agent 3 (verifier)\nAnswer: 42\nNotes: (none)"), user);
    }

    @Test
    void planInstructionsAreAppendedToTheSystemPrompt() {
        String system = SynthesisPrompt.messages(conversation, notes, "Answer in French.").get(0).content();
        assertTrue(system.endsWith("\n\nAnswer in French."), system);
    }

    @Test
    void aConversationWithoutAUserMessageSaysSo() {
        assertEquals("(no question was given)", SynthesisPrompt.question(List.of(new ChatMessage("system", "x"))));
        assertTrue(SynthesisPrompt.system(1, null).contains("a council of 1 agent "));
    }
}
