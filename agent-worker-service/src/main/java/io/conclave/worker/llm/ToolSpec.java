package io.conclave.worker.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function offered to the model in the request's {@code tools}.
 *
 * @param parameters the JSON schema of its arguments
 */
public record ToolSpec(String name, String description, JsonNode parameters) {
}
