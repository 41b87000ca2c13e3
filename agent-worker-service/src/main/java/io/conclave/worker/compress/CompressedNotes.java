package io.conclave.worker.compress;

/**
 * An agent's reasoning cut down to what a join needs.
 *
 * @param tokens the {@link TokenEstimate} of {@code text}, never above the budget it was made for
 * @param answer the agent's answer as {@link AnswerExtractor#answer} found it, which the notes start with
 */
public record CompressedNotes(String text, int tokens, String answer) {
}
