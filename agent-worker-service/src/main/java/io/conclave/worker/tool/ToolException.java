package io.conclave.worker.tool;

/** A tool call that failed in a way the model is told about (as the tool's result), so it can correct itself. */
public final class ToolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ToolException(String message) {
        super(message);
    }
}
