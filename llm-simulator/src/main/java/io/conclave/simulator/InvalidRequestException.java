package io.conclave.simulator;

/** A request body the simulator refuses with 400, as OpenAI would; carries the OpenAI-style error code. */
final class InvalidRequestException extends RuntimeException {

    private final String code;

    InvalidRequestException(String code, String message) {
        super(message);
        this.code = code;
    }

    String code() {
        return code;
    }
}
