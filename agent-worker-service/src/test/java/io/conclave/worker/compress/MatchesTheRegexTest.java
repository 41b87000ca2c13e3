package io.conclave.worker.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The compressor's sentence splitting and key-step and uncertainty searches are hand-written scans (the regular
 * expressions they replace were a sixth of the worker's CPU). These are the regular expressions, as the
 * specification: on random text built from the words they look for, their parts and neighbours, the scans must
 * decide exactly as they do.
 */
class MatchesTheRegexTest {

    private static final Pattern KEY_STEP = Pattern.compile(
            "\\d|[=<>≈]|\\b(because|therefore|thus|hence|since|so that|implies|means|follows|conclude[sd]?"
                    + "|results?|equals?|total)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern UNCERTAINTY = Pattern.compile(
            "\\b(maybe|perhaps|might|unclear|uncertain|unsure|not sure|assum\\w*|likely|probably|possibly|doubt\\w*"
                    + "|unless|ambiguous|depends)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BOUNDARY = Pattern.compile("(?<=[.!?])\\s+|\\s*\\n+\\s*");

    private static final String[] PIECES = {"because", "Because", "BECAUSE", "therefore", "thus", "hence", "since",
        "so", "that", "so that", "so  that", "implies", "means", "follows", "conclude", "concludes", "concluded",
        "concluder", "result", "Results", "resultsx", "equal", "equals", "equalsy", "total", "totals", "maybe",
        "perhaps", "might", "unclear", "uncertain", "unsure", "not", "sure", "not sure", "NOT SURE", "assum",
        "assume", "Assuming", "assum_1", "assumé", "likely", "probably", "possibly", "doubt", "doubtful", "doubté",
        "unless", "ambiguous", "depends", "the", "cause", "be", "sure", "word", "x", "é", "ß", "Ünclear", "_", "-",
        "'", "\"", ",", ";", ":", "(", ")", ".", "!", "?", "...", "3.14", "7", "٣", "=", "<", ">", "≈", " ", " ",
        "  ", "\t", "\n", "\n\n", " \n ", "\r\n", "\u000B", "\f", "\u00A0", "\u2028", "𝐀", "k\u212A"};

    @Test
    void keyStepsAndUncertaintiesAreFoundExactlyWhereTheRegexFindsThem() {
        Random random = new Random(20261123);
        int keySteps = 0;
        int uncertain = 0;
        for (int n = 0; n < 50_000; n++) {
            String text = randomText(random, 1 + random.nextInt(8));
            boolean key = KEY_STEP.matcher(text).find();
            boolean unsure = UNCERTAINTY.matcher(text).find();
            assertEquals(key, ThoughtCompressor.isKeyStep(text), () -> "key step? " + quoted(text));
            assertEquals(unsure, ThoughtCompressor.isUncertain(text), () -> "uncertain? " + quoted(text));
            keySteps += key ? 1 : 0;
            uncertain += unsure ? 1 : 0;
        }
        // Both answers occur often, so the comparison covers both.
        assertTrue(keySteps > 10_000 && keySteps < 40_000, "key steps: " + keySteps);
        assertTrue(uncertain > 10_000 && uncertain < 40_000, "uncertain: " + uncertain);
    }

    @Test
    void sentencesAreSplitExactlyWhereTheRegexSplits() {
        Random random = new Random(11232026);
        for (int n = 0; n < 50_000; n++) {
            String text = randomText(random, random.nextInt(12));
            assertEquals(regexSplit(text), Sentences.split(text), () -> "split " + quoted(text));
        }
    }

    @Test
    void wordsMustBeWholeWords() {
        assertTrue(ThoughtCompressor.isKeyStep("It holds, Therefore: yes"));
        assertFalse(ThoughtCompressor.isKeyStep("therefores and sincerely"));
        assertFalse(ThoughtCompressor.isUncertain("not  sure, with two spaces"));
        assertTrue(ThoughtCompressor.isUncertain("assumptions"));
        assertFalse(ThoughtCompressor.isUncertain("assumé"));
    }

    private static List<String> regexSplit(String text) {
        List<String> sentences = new ArrayList<>();
        for (String part : BOUNDARY.split(text.strip())) {
            if (!part.strip().isEmpty()) {
                sentences.add(part.strip());
            }
        }
        return sentences;
    }

    private static String randomText(Random random, int pieces) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
            if (random.nextInt(3) > 0) {
                text.append(' ');
            }
        }
        return text.toString();
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> out.append(c < 32 || c > 126 ? String.format("\\u%04X", c)
                : Character.toString(c)));
        return out.append('"').toString();
    }
}
