package io.conclave.worker.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ThoughtCompressorTest {

    private static final String REASONING = String.join(" ",
            "Let us look at the question from several sides before deciding anything at all.",
            "The product of six and seven is 42.",
            "Some readers may wonder about the wording of the question here.",
            "That matters because the question asks for a product, not a sum.",
            "Many other considerations seem relevant at first glance but are not.",
            "Therefore the result is forty-two.",
            "We double-check the arithmetic once more for safety.")
            + "\nAnswer: 42";

    @Test
    void putsTheAnswerLineFirst() {
        CompressedNotes notes = new ThoughtCompressor(96).compress(REASONING);
        assertTrue(notes.text().startsWith("Answer: 42\n"), notes.text());
    }

    @Test
    void prefersKeyStepsAndKeepsTheirOrder() {
        CompressedNotes notes = new ThoughtCompressor(30).compress(REASONING);
        assertEquals("Answer: 42\nThe product of six and seven is 42. That matters because the question asks for a "
                + "product, not a sum. Therefore the result is forty-two.", notes.text());
        assertFalse(notes.text().contains("Many other considerations"));
    }

    @Test
    void fillsLeftoverRoomWithTheLastSentences() {
        String output = "Plain words here. More plain words. The very last thought.\nAnswer: yes";
        CompressedNotes notes = new ThoughtCompressor(8).compress(output);
        assertEquals("Answer: yes\nThe very last thought.", notes.text());
        assertEquals(6, notes.tokens());
    }

    @Test
    void keepsUncertaintiesBeforeFiller() {
        String output = "Plain words here. Maybe the units are metres. Filler at the end.\nAnswer: 5";
        CompressedNotes notes = new ThoughtCompressor(8).compress(output);
        assertEquals("Answer: 5\nMaybe the units are metres.", notes.text());
    }

    @Test
    void reportsTheTokenCountOfTheNotes() {
        CompressedNotes notes = new ThoughtCompressor(96).compress(REASONING);
        assertEquals(TokenEstimate.count(notes.text()), notes.tokens());
        assertEquals(TokenEstimate.count(REASONING), notes.tokens(), "everything fits in 96 tokens");
    }

    @Test
    void neverExceedsTheBudget() {
        Random random = new Random(7);
        for (int run = 0; run < 500; run++) {
            String output = randomReasoning(random) + (random.nextBoolean() ? "\nAnswer: " + random.nextInt(999) : "");
            int budget = 1 + random.nextInt(120);
            CompressedNotes notes = new ThoughtCompressor(budget).compress(output);
            assertTrue(notes.tokens() <= budget, budget + " < " + notes.tokens() + ": " + notes.text());
            assertEquals(TokenEstimate.count(notes.text()), notes.tokens());
            assertTrue(notes.text().startsWith("Answer:"), notes.text());
        }
    }

    @Test
    void cutsAnAnswerLongerThanTheBudget() {
        CompressedNotes notes = new ThoughtCompressor(3).compress("Answer: one two three four five");
        assertEquals("Answer: one two", notes.text());
        assertEquals(3, notes.tokens());
        assertEquals("one two three four five", notes.answer(), "the answer itself is not cut");
    }

    @Test
    void carriesTheAnswerItFound() {
        assertEquals("42", new ThoughtCompressor(96).compress(REASONING).answer());
        assertEquals("So it is blue.", new ThoughtCompressor(96).compress("Sky. So it is blue.").answer());
    }

    @Test
    void aBudgetBelowOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ThoughtCompressor(0));
    }

    private static String randomReasoning(Random random) {
        return IntStream.range(0, random.nextInt(30)).mapToObj(i -> IntStream.range(0, 1 + random.nextInt(15))
                        .mapToObj(w -> random.nextInt(10) == 0 ? String.valueOf(random.nextInt(100))
                                : random.nextInt(12) == 0 ? "because" : "word" + random.nextInt(50))
                        .collect(Collectors.joining(" ")) + ".")
                .collect(Collectors.joining(random.nextBoolean() ? " " : "\n"));
    }
}
