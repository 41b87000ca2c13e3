package io.conclave.worker.llm;

/**
 * A piece of a streamed tool call: the first piece of a call carries its ID and name, later ones more of its
 * arguments, to be concatenated by {@code index}.
 */
public record ToolCallDelta(int index, String id, String name, String arguments) {
}
