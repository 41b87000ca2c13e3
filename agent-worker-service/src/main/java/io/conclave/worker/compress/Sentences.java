package io.conclave.worker.compress;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits reasoning into sentences for compression: after {@code .}, {@code !} or {@code ?} followed by
 * whitespace, and at line breaks (models write steps as lines and list items). Decimal points ({@code 3.14}) are
 * not followed by whitespace and so do not split.
 */
final class Sentences {

    private Sentences() {
    }

    static List<String> split(String text) {
        String rest = text == null ? "" : text.strip();
        List<String> sentences = new ArrayList<>();
        int from = 0;
        int i = 0;
        while (i < rest.length()) {
            if (!isSpace(rest.charAt(i))) {
                i++;
                continue;
            }
            int runStart = i;
            boolean lineBreak = false;
            while (i < rest.length() && isSpace(rest.charAt(i))) {
                lineBreak |= rest.charAt(i) == '\n';
                i++;
            }
            char before = rest.charAt(runStart - 1); // rest is stripped: a run of spaces never starts it
            if (lineBreak || before == '.' || before == '!' || before == '?') {
                add(sentences, rest.substring(from, runStart));
                from = i;
            }
        }
        add(sentences, rest.substring(from));
        return sentences;
    }

    private static void add(List<String> sentences, String part) {
        String sentence = part.strip();
        if (!sentence.isEmpty()) {
            sentences.add(sentence);
        }
    }

    /** {@code \s} of {@code java.util.regex}: {@code [ \t\n\x0B\f\r]}. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
