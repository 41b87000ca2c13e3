package io.conclave.worker.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits reasoning into sentences for compression: after {@code .}, {@code !} or {@code ?} followed by
 * whitespace, and at line breaks (models write steps as lines and list items). Decimal points ({@code 3.14}) are
 * not followed by whitespace and so do not split.
 */
final class Sentences {

    private static final Pattern BOUNDARY = Pattern.compile("(?<=[.!?])\\s+|\\s*\\n+\\s*");

    private Sentences() {
    }

    static List<String> split(String text) {
        List<String> sentences = new ArrayList<>();
        for (String part : BOUNDARY.split(text == null ? "" : text.strip())) {
            String sentence = part.strip();
            if (!sentence.isEmpty()) {
                sentences.add(sentence);
            }
        }
        return sentences;
    }
}
