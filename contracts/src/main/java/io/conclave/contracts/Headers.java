package io.conclave.contracts;

/** HTTP header names of the public API (DESIGN.md §5). */
public final class Headers {
    /** The correlation ID of a request, on every reply. */
    public static final String CORRELATION_ID = "x-conclave-correlation-id";
    /** Milliseconds the request spent outside LLM calls. */
    public static final String OVERHEAD_MS = "x-conclave-overhead-ms";

    private Headers() {
    }
}
