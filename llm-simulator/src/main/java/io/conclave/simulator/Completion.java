package io.conclave.simulator;

import java.util.List;

/**
 * A generated answer, already cut to the request's {@code max_tokens}.
 *
 * @param tokens       the tokens to send, each a word followed by a space (or a newline before the answer line)
 * @param finishReason {@code stop}, or {@code length} when {@code max_tokens} cut the answer short
 * @param answer       the value on the {@code Answer:} line of the full text
 */
record Completion(List<String> tokens, String finishReason, String answer) {

    String text() {
        return String.join("", tokens);
    }
}
