package io.conclave.gateway.image;

/**
 * Why an image part cannot be accepted: a {@link Reason#INVALID} image is a 400, one over a limit a 413. The
 * message names the field ({@code messages[0].content[1].image_url.url}).
 */
public final class ImageRejected extends RuntimeException {

    /** What kind of refusal. */
    public enum Reason { INVALID, TOO_LARGE }

    private final Reason reason;
    private final String param;

    ImageRejected(Reason reason, String param, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.param = param;
    }

    public Reason reason() {
        return reason;
    }

    /** The offending field as a path. */
    public String param() {
        return param;
    }
}
