package io.conclave.worker.llm;

/**
 * A function call a model asked for.
 *
 * @param id the provider's call ID, echoed in the {@code tool} message that answers it
 * @param arguments the JSON arguments as the model wrote them (not necessarily valid JSON)
 */
public record ToolCall(String id, String name, String arguments) {
}
