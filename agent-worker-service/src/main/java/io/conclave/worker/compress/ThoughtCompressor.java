package io.conclave.worker.compress;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Thought compression: an agent's full reasoning stays in the worker, and what travels to the join is its
 * answer plus the steps that carry the argument, within a token budget (DESIGN.md §3). Extractive and
 * deterministic, so it costs no LLM call: the {@code Answer:} line first, then key steps (sentences with
 * numbers or words of inference such as "because" and "therefore") and uncertainties (sentences with "maybe",
 * "assuming", "unclear", …), in their original order, then, if room is left, the last sentences, where
 * conclusions usually are. Tokens are counted by {@link TokenEstimate}.
 */
public final class ThoughtCompressor {

    /** Key steps: sentences with a digit, a relation sign ({@code = < > ≈}) or one of these words of inference. */
    private static final WholeWords INFERENCE = WholeWords.of("because", "therefore", "thus", "hence", "since",
            "so that", "implies", "means", "follows", "conclude", "concludes", "concluded", "result", "results",
            "equal", "equals", "total");

    /** Sentences that say what the agent was unsure of: a join must weigh these, so they go before filler. */
    private static final WholeWords UNCERTAINTY = WholeWords.of("maybe", "perhaps", "might", "unclear", "uncertain",
            "unsure", "not sure", "assum*", "likely", "probably", "possibly", "doubt*", "unless", "ambiguous",
            "depends");

    private final int budget;

    /** @param budget the most tokens the notes may have, at least 1 */
    public ThoughtCompressor(int budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("notes budget must be at least 1 token");
        }
        this.budget = budget;
    }

    public CompressedNotes compress(String output) {
        String answer = AnswerExtractor.answer(output);
        String answerLine = "Answer: " + answer;
        int answerTokens = TokenEstimate.count(answerLine);
        if (answerTokens >= budget) {
            String cut = firstWords(answerLine, budget);
            return new CompressedNotes(cut, TokenEstimate.count(cut), answer);
        }
        List<String> sentences = Sentences.split(AnswerExtractor.withoutAnswerLines(output));
        BitSet chosen = choose(sentences, budget - answerTokens);
        StringBuilder notes = new StringBuilder(answerLine);
        chosen.stream().forEach(i -> notes.append(i == chosen.nextSetBit(0) ? "\n" : " ").append(sentences.get(i)));
        String text = notes.toString();
        return new CompressedNotes(text, TokenEstimate.count(text), answer);
    }

    private static BitSet choose(List<String> sentences, int room) {
        BitSet chosen = new BitSet(sentences.size());
        int left = room;
        for (int i = 0; i < sentences.size() && left > 0; i++) {
            if (isKeyStep(sentences.get(i))) {
                left = take(sentences, i, left, chosen);
            }
        }
        for (int i = 0; i < sentences.size() && left > 0; i++) {
            if (!chosen.get(i) && isUncertain(sentences.get(i))) {
                left = take(sentences, i, left, chosen);
            }
        }
        for (int i = sentences.size() - 1; i >= 0 && left > 0; i--) {
            if (!chosen.get(i)) {
                left = take(sentences, i, left, chosen);
            }
        }
        return chosen;
    }

    static boolean isKeyStep(String sentence) {
        for (int i = 0; i < sentence.length(); i++) {
            char c = sentence.charAt(i);
            if (c >= '0' && c <= '9' || c == '=' || c == '<' || c == '>' || c == '≈') {
                return true;
            }
        }
        return INFERENCE.foundIn(sentence);
    }

    static boolean isUncertain(String sentence) {
        return UNCERTAINTY.foundIn(sentence);
    }

    private static int take(List<String> sentences, int index, int left, BitSet chosen) {
        int tokens = TokenEstimate.count(sentences.get(index));
        if (tokens > left) {
            return left;
        }
        chosen.set(index);
        return left - tokens;
    }

    private static String firstWords(String text, int count) {
        String[] words = text.strip().split("\\s+");
        List<String> kept = new ArrayList<>(List.of(words).subList(0, Math.min(count, words.length)));
        return String.join(" ", kept);
    }
}
