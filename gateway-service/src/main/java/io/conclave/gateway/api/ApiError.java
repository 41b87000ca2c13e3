package io.conclave.gateway.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An error as OpenAI clients expect it, {@code {"error": {"message", "type", "code", "param"}}},
 * with its HTTP status, so that every failure the gateway reports has the same shape.
 *
 * @param param the offending request field as a path ({@code messages[0].content}), or null
 * @param retryAfterSeconds the {@code Retry-After} to send (429, 503), or null
 */
public record ApiError(int status, String type, String code, String message, String param, Long retryAfterSeconds) {

    public ApiError(int status, String type, String code, String message, String param) {
        this(status, type, code, message, param, null);
    }

    public static final String INVALID_REQUEST = "invalid_request_error";

    /** A 400 about the request body. */
    public static ApiError invalid(String code, String param, String message) {
        return new ApiError(400, INVALID_REQUEST, code, message, param);
    }

    /** The {@code error} object alone. */
    public ObjectNode errorObject() {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        error.put("param", param);
        return error;
    }

    /** The whole body, {@code {"error": {...}}}. */
    public ObjectNode body() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("error", errorObject());
        return body;
    }

    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body());
        if (retryAfterSeconds != null) {
            response.header("Retry-After", retryAfterSeconds);
        }
        return response.build();
    }

    /** This error as an exception, for code paths that throw. */
    public ApiException exception() {
        return new ApiException(this);
    }
}
