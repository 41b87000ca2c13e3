package io.conclave.simulator;

import io.vertx.core.http.HttpServerResponse;

/** Sends JSON bodies and OpenAI-style error envelopes, so every endpoint fails in the shape clients expect. */
final class Replies {

    private final OpenAiFormat format;

    Replies(OpenAiFormat format) {
        this.format = format;
    }

    void json(HttpServerResponse response, int status, Object body) {
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body instanceof String text ? text : format.write(body));
    }

    void invalidRequest(HttpServerResponse response, int status, String code, String message) {
        json(response, status, format.error(message, "invalid_request_error", code));
    }

    void rateLimited(HttpServerResponse response, int retryAfterS) {
        response.putHeader("Retry-After", Integer.toString(retryAfterS));
        json(response, 429, format.error("Rate limit reached (simulated). Please retry after " + retryAfterS + "s.",
                "rate_limit_error", "rate_limit_exceeded"));
    }

    void serverError(HttpServerResponse response) {
        json(response, 500, format.error("The server had an error while processing your request (simulated).",
                "server_error", null));
    }
}
