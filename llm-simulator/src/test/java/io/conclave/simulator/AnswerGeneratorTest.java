package io.conclave.simulator;

import static io.conclave.simulator.SimClient.answerOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnswerGeneratorTest {

    private final AnswerGenerator generator = new AnswerGenerator();

    @Test
    void everyLengthEndsWithTheAnswerLine() {
        for (int tokens = 2; tokens <= 80; tokens++) {
            Completion completion = generator.generate(request("system", "question", null), tokens, 0);
            String text = completion.text();
            assertEquals(tokens, completion.tokens().size());
            assertEquals(tokens, text.trim().split("\\s+").length, text);
            assertEquals(completion.answer(), answerOf(text));
            assertEquals("stop", completion.finishReason());
            int number = Integer.parseInt(completion.answer());
            assertTrue(number >= 1 && number <= 1000, completion.answer());
        }
    }

    @Test
    void aMessageQuotingAnswersIsAnsweredWithTheirMajority() {
        String synthesis = """
                What is 6 times 7?
                Agent solver:
                Answer: 42
                Agent skeptic:
                Answer: 41
                Agent verifier:
                  Answer: 42
                """;
        Completion completion = generator.generate(request("You compose the final answer", synthesis, null), 20, 1);

        assertEquals("42", completion.answer(), "the majority wins, whatever the dissent rate");
        assertEquals("41", AnswerGenerator.majorityOfQuoted("Answer: 41\nAnswer: 42").orElseThrow(),
                "a tie goes to the first answer quoted");
        assertTrue(AnswerGenerator.majorityOfQuoted("no quoted answers here").isEmpty());
    }

    @Test
    void dissentRateSplitsConversationsDeterministically() {
        int dissenting = 0;
        for (int agent = 0; agent < 400; agent++) {
            ChatRequest request = request("You are agent " + agent, "the shared question", null);
            Completion agreed = generator.generate(request, 10, 0);
            Completion maybe = generator.generate(request, 10, 0.25);
            assertEquals(maybe, generator.generate(request, 10, 0.25));
            assertNotEquals(agreed.answer(), generator.generate(request, 10, 1).answer());
            dissenting += maybe.answer().equals(agreed.answer()) ? 0 : 1;
        }
        assertTrue(dissenting > 60 && dissenting < 140, "about a quarter dissent: " + dissenting);
    }

    @Test
    void answersSpreadOverQuestions() {
        Set<String> answers = new HashSet<>();
        for (int q = 0; q < 50; q++) {
            answers.add(generator.generate(request("s", "question " + q, null), 4, 0).answer());
        }
        assertTrue(answers.size() > 40, "answers: " + answers);
    }

    @Test
    void maxTokensCutsTheTokens() {
        Completion cut = generator.generate(request("s", "q", 3), 10, 0);
        assertEquals(3, cut.tokens().size());
        assertEquals("length", cut.finishReason());
        assertEquals("stop", generator.generate(request("s", "q", 10), 10, 0).finishReason());
    }

    private static ChatRequest request(String system, String user, Integer maxTokens) {
        return new ChatRequest("m", 0.5, maxTokens, false, false,
                List.of(new ChatMessage("system", system), new ChatMessage("user", user)));
    }
}
