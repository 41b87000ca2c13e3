package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One part of a message that carries more than text, as OpenAI's content-part arrays have it. An image travels
 * once per request: in {@link RequestSubmitted} as {@code image_url} with its {@code data:} or {@code https:} URL;
 * in plans and sub-tasks a {@code data:} image is an {@code image_ref} to the request record instead (see
 * {@link SubtaskAssigned#imagesAt()}).
 *
 * @param type {@value #TEXT}, {@value #IMAGE_URL} or {@value #IMAGE_REF}
 * @param text the text of a {@value #TEXT} part, else null
 * @param imageUrl the URL of an {@value #IMAGE_URL} part ({@code data:} or {@code https:}), else null
 * @param detail OpenAI's {@code image_url.detail} ({@code auto}, {@code low}, {@code high}), or null
 * @param imageRef an {@value #IMAGE_REF} part: the position of the image among the request's {@code data:}
 *     image parts, counted from 0 over all messages in order; else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContentPart(String type, String text, String imageUrl, String detail, Integer imageRef) {

    public static final String TEXT = "text";
    public static final String IMAGE_URL = "image_url";
    public static final String IMAGE_REF = "image_ref";
}
