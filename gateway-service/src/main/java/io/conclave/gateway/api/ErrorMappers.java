package io.conclave.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception that reaches JAX-RS into an OpenAI-style error body, so clients never see
 * an HTML page or an empty body, and bad input never shows up as a 5xx.
 */
public final class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response apiError(ApiException e) {
        return e.error().toResponse();
    }

    @ServerExceptionMapper
    public Response invalidJson(JsonProcessingException e) {
        return ApiError.invalid(ChatRequestParser.INVALID_JSON, null,
                "the request body is not valid JSON: " + e.getOriginalMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return errorFor(status, e.getMessage()).toResponse();
    }

    /**
     * A body that could not be read. When Quarkus has answered already (a chunked body over the
     * size limit gets an empty 413 there) there is nothing left to write.
     */
    @ServerExceptionMapper
    public Response unreadableBody(IOException e, HttpServerResponse response) {
        LOG.debugf("could not read a request body: %s", e.getMessage());
        if (response.ended() || response.headWritten()) {
            return Response.status(response.getStatusCode()).build();
        }
        boolean tooLarge = e.getMessage() != null && e.getMessage().contains("too large");
        return (tooLarge ? errorFor(413, null)
                : ApiError.invalid("invalid_body", null, "the request body could not be read")).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return new ApiError(500, "server_error", "internal_error", "the gateway failed unexpectedly", null)
                .toResponse();
    }

    /** The error for a status JAX-RS chose itself (no route, wrong method, wrong media type, ...). */
    static ApiError errorFor(int status, String detail) {
        return switch (status) {
            case 404 -> invalidRequest(status, "not_found", "no such endpoint");
            case 405 -> invalidRequest(status, "method_not_allowed", "this endpoint does not support that method");
            case 406 -> invalidRequest(status, "not_acceptable", "this endpoint answers application/json only");
            case 413 -> invalidRequest(status, "request_too_large", "the request body is too large");
            case 415 -> invalidRequest(status, "unsupported_media_type",
                    "the request body must be sent as Content-Type: application/json");
            default -> status >= 500
                    ? new ApiError(status, "server_error", "internal_error", "the gateway failed unexpectedly", null)
                    : invalidRequest(status, "invalid_request", detail == null ? "invalid request" : detail);
        };
    }

    private static ApiError invalidRequest(int status, String code, String message) {
        return new ApiError(status, ApiError.INVALID_REQUEST, code, message, null);
    }
}
