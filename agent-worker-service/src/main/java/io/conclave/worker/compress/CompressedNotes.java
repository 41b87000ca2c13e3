package io.conclave.worker.compress;

/**
 * An agent's reasoning cut down to what a join needs.
 *
 * @param tokens the {@link TokenEstimate} of {@code text}, never above the budget it was made for
 */
public record CompressedNotes(String text, int tokens) {
}
