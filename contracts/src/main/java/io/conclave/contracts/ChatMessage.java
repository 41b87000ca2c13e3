package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One message of the client's conversation, as the OpenAI chat API has it.
 *
 * @param content the message's text (its text parts joined by a newline), so that readers that need only the
 *     text (prompts, compression, synthesis) never look at parts
 * @param parts every part in order, text included, when the message has images; null for a text-only message,
 *     which keeps the text-only wire format unchanged
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatMessage(String role, String content, List<ContentPart> parts) {

    /** A text-only message. */
    public ChatMessage(String role, String content) {
        this(role, content, null);
    }
}
