package io.conclave.simulator;

import java.util.List;

/**
 * One finished chat call as seen in {@code /sim/stats}, so tests can check who was called, when, and with what
 * result (for example that a slow agent was cancelled at the deadline). Times are epoch milliseconds.
 *
 * @param id               the completion id sent to the client
 * @param model            requested model
 * @param temperature      requested temperature, or null
 * @param systemPrompt     first 80 characters of the first system message, or null
 * @param startedAtMs      when the request arrived
 * @param firstTokenAtMs   when the first token was due, or null if the call never got there
 * @param endedAtMs        when the call ended
 * @param outcome          {@code completed}, {@code cancelled}, {@code error429} or {@code error500}
 * @param completionTokens tokens actually sent
 * @param images           SHA-256 (hex) of each image part's URL the call was shown, in order
 */
record CallRecord(String id, String model, Double temperature, String systemPrompt, long startedAtMs,
                  Long firstTokenAtMs, long endedAtMs, Outcome outcome, int completionTokens, List<String> images) {
}
