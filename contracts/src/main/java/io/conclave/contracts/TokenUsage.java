package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Tokens counted by the upstream model, as in OpenAI's {@code usage}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens) {
}
