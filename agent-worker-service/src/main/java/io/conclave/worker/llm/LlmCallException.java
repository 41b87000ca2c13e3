package io.conclave.worker.llm;

import java.time.Duration;
import java.util.Locale;

/**
 * A call to a provider that gave no usable answer, with what an operator needs to act on it: which provider,
 * the HTTP status, the {@code Retry-After} it asked for, the upstream's own message and how many attempts were
 * made. {@link #reason()} is the sentence that goes into {@code SubtaskFailed}.
 */
public final class LlmCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, which decides whether a retry can help. */
    public enum Kind {
        /** The provider answered with a non-2xx status. */
        HTTP,
        /** No response: connection refused, reset or closed mid-stream. */
        CONNECTION,
        /** The call outlived its time budget (provider timeout or the sub-task's deadline). */
        TIMEOUT,
        /** The provider sent an {@code error} event inside a 200 stream. */
        STREAM_ERROR,
        /** The response was not a chat-completions event stream. */
        PROTOCOL,
        /** No call was made: the provider's circuit breaker is open after recent failures. */
        CIRCUIT_OPEN
    }

    private final String provider;
    private final Kind kind;
    private final int status;
    private final transient Duration retryAfter;
    private final String upstreamMessage;
    private final int attempts;
    private final String note;

    private LlmCallException(String provider, Kind kind, int status, Duration retryAfter, String upstreamMessage,
            int attempts, String note, Throwable cause) {
        super(provider + ": " + kind + (status > 0 ? " " + status : "") + ": " + upstreamMessage, cause);
        this.provider = provider;
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
        this.upstreamMessage = upstreamMessage;
        this.attempts = attempts;
        this.note = note;
    }

    /** A non-2xx response. */
    public static LlmCallException http(String provider, int status, Duration retryAfter, String upstreamMessage) {
        return new LlmCallException(provider, Kind.HTTP, status, retryAfter, upstreamMessage, 1, null, null);
    }

    public static LlmCallException connection(String provider, Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new LlmCallException(provider, Kind.CONNECTION, 0, null, message, 1, null, cause);
    }

    /** @param bound what limited the call: {@code "the sub-task's deadline"} or {@code "the provider timeout"} */
    public static LlmCallException timeout(String provider, Duration budget, String bound) {
        return new LlmCallException(provider, Kind.TIMEOUT, 0, null,
                "no complete answer within " + budget.toMillis() + " ms (" + bound + ")", 1, null, null);
    }

    public static LlmCallException streamError(String provider, String upstreamMessage) {
        return new LlmCallException(provider, Kind.STREAM_ERROR, 0, null, upstreamMessage, 1, null, null);
    }

    public static LlmCallException protocol(String provider, String problem, Throwable cause) {
        return new LlmCallException(provider, Kind.PROTOCOL, 0, null, problem, 1, null, cause);
    }

    /** @param why what opened the breaker; {@code wait} how long until it lets a probe call through */
    public static LlmCallException circuitOpen(String provider, String why, Duration wait) {
        return new LlmCallException(provider, Kind.CIRCUIT_OPEN, 0, null,
                why + "; calls resume in " + Math.max(1, (wait.toMillis() + 999) / 1000) + " s", 0, null, null);
    }

    /** Any failure of a call, as this type. */
    static LlmCallException of(String provider, Throwable failure) {
        return failure instanceof LlmCallException known ? known : connection(provider, failure);
    }

    /** The same failure after {@code count} attempts. */
    LlmCallException afterAttempts(int count) {
        return new LlmCallException(provider, kind, status, retryAfter, upstreamMessage, count, note, getCause());
    }

    /** The same failure, with why no further attempt was made. */
    LlmCallException noted(String why) {
        return new LlmCallException(provider, kind, status, retryAfter, upstreamMessage, attempts, why, getCause());
    }

    /** Whether another attempt may succeed: rate limits, server errors and lost connections. */
    public boolean retryable() {
        return kind == Kind.CONNECTION || kind == Kind.HTTP && (status == 429 || status >= 500);
    }

    /** A sentence for {@code SubtaskFailed.reason}, e.g. {@code provider default returned 500 after 3 attempts: …}. */
    public String reason() {
        String tries = attempts == 1 ? "1 attempt" : attempts + " attempts";
        String extra = note == null ? "" : " (" + note + ")";
        return switch (kind) {
            case HTTP -> "provider " + provider + " returned " + status + " after " + tries + extra + ": "
                    + upstreamMessage;
            case CONNECTION -> "provider " + provider + " could not be reached after " + tries + extra + ": "
                    + upstreamMessage;
            case TIMEOUT -> "provider " + provider + " gave " + upstreamMessage + " on attempt " + attempts;
            case STREAM_ERROR -> "provider " + provider + " reported an error mid-stream: " + upstreamMessage;
            case PROTOCOL -> "provider " + provider + " sent a malformed stream: " + upstreamMessage;
            case CIRCUIT_OPEN -> "provider " + provider + " is failing, so its circuit breaker is open and no call "
                    + "was made (" + upstreamMessage + ")";
        };
    }

    /** Whether this failure says the provider is unhealthy, for its circuit breaker (a 429 or a 4xx does not). */
    public boolean providerFault() {
        return kind == Kind.CONNECTION || kind == Kind.TIMEOUT || kind == Kind.STREAM_ERROR
                || kind == Kind.PROTOCOL || kind == Kind.HTTP && status >= 500;
    }

    /** A low-cardinality metric tag: {@code rate_limited}, {@code server_error}, {@code timeout}, … */
    public String result() {
        if (kind == Kind.HTTP) {
            return status == 429 ? "rate_limited" : status >= 500 ? "server_error" : "client_error";
        }
        return kind.name().toLowerCase(Locale.ROOT);
    }

    public String provider() {
        return provider;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when there was no response. */
    public int status() {
        return status;
    }

    /** What the provider asked for in {@code Retry-After}, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public String upstreamMessage() {
        return upstreamMessage;
    }

    public int attempts() {
        return attempts;
    }
}
