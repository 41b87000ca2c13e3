package io.conclave.worker.compress;

/**
 * The worker's token estimate: the number of whitespace-separated words. It is used for notes budgets and when
 * a provider reports no usage. Real BPE tokenizers give roughly 1.3 tokens per English word, so the estimate is
 * low by about a quarter; it is stable, needs no model-specific vocabulary and matches how the LLM simulator
 * counts, which keeps tests exact.
 */
public final class TokenEstimate {

    private TokenEstimate() {
    }

    public static int count(String text) {
        if (text == null) {
            return 0;
        }
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
    }
}
