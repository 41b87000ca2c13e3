package io.conclave.worker.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnswerExtractorTest {

    @Test
    void takesTheTextAfterTheLastAnswerLine() {
        String output = "First I thought 41.\nAnswer: 41\nChecking again, 6 times 7 is 42.\nAnswer: 42\n";
        assertEquals("42", AnswerExtractor.answer(output));
    }

    @Test
    void readsTheSimulatorsShape() {
        assertEquals("738", AnswerExtractor.answer("Consider the premise carefully. Evidence suggests.\nAnswer: 738"));
    }

    @Test
    void toleratesMarkdownAndCase() {
        assertEquals("Paris", AnswerExtractor.answer("Reasoning.\n**Final answer:** Paris"));
        assertEquals("Paris", AnswerExtractor.answer("Reasoning.\nANSWER: **Paris**"));
        assertEquals("a long answer, with commas", AnswerExtractor.answer("- answer: a long answer, with commas  "));
    }

    @Test
    void ignoresAnswerInsideASentence() {
        assertEquals("So the answer: is not on its own line.",
                AnswerExtractor.answer("We look for it. So the answer: is not on its own line."));
    }

    @Test
    void fallsBackToTheLastSentenceWithoutAnAnswerLine() {
        assertEquals("So it is 42.", AnswerExtractor.answer("Six times seven. Multiply it out. So it is 42."));
        assertEquals("last line", AnswerExtractor.answer("first line\nlast line\n"));
    }

    @Test
    void anEmptyAnswerLineFallsBackToTheReasoning() {
        assertEquals("It is 42.", AnswerExtractor.answer("It is 42.\nAnswer:"));
    }

    @Test
    void emptyOutputHasAnEmptyAnswer() {
        assertEquals("", AnswerExtractor.answer(""));
        assertEquals("", AnswerExtractor.answer(null));
    }

    @Test
    void reasoningIsTheOutputWithoutAnswerLines() {
        String reasoning = AnswerExtractor.withoutAnswerLines("Step one.\nAnswer: 1\nStep two.\nAnswer: 2");
        assertEquals("Step one.\n\nStep two.", reasoning);
        assertTrue(AnswerExtractor.answerLine("no line here").isEmpty());
    }
}
