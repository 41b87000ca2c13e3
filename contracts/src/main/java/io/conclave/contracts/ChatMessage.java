package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One message of the client's conversation, as the OpenAI chat API has it (text content). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatMessage(String role, String content) {
}
