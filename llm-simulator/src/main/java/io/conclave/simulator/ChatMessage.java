package io.conclave.simulator;

/**
 * One message of a chat request, reduced to what the simulator looks at.
 *
 * @param role    {@code system}, {@code user}, {@code assistant}, ...
 * @param content the text; for an array of parts, the text parts joined by newlines (images are ignored)
 */
record ChatMessage(String role, String content) {
}
