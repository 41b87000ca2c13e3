package io.conclave.worker.compress;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds an agent's final answer in its output: the text after the last {@code Answer:} line (agents are told to
 * end with one), or, when the model ignored that, its last sentence. Votes and syntheses compare these answers,
 * so this is the one place that decides what an agent "said".
 */
public final class AnswerExtractor {

    /** A line such as {@code Answer: 42}, {@code **Final answer:** 42} or {@code - answer: 42}. */
    private static final Pattern ANSWER_LINE = Pattern.compile(
            "^[\\s*_#>-]*(?:final\\s+)?answer\\s*[*_]*\\s*:\\s*[*_]*(.*?)[*_\\s]*$",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    private AnswerExtractor() {
    }

    /** @return the answer, or an empty string for an empty output */
    public static String answer(String output) {
        return answerLine(output).filter(answer -> !answer.isEmpty())
                .orElseGet(() -> lastSentence(withoutAnswerLines(output)));
    }

    /** @return the text of the last {@code Answer:} line, trimmed (may be empty), if there is one */
    public static Optional<String> answerLine(String output) {
        Matcher matcher = ANSWER_LINE.matcher(output == null ? "" : output);
        String last = null;
        while (matcher.find()) {
            last = matcher.group(1).trim();
        }
        return Optional.ofNullable(last);
    }

    /** The output with its {@code Answer:} lines taken out: the reasoning. */
    public static String withoutAnswerLines(String output) {
        return ANSWER_LINE.matcher(output == null ? "" : output).replaceAll("").strip();
    }

    private static String lastSentence(String text) {
        List<String> sentences = Sentences.split(text);
        return sentences.isEmpty() ? "" : sentences.get(sentences.size() - 1);
    }
}
