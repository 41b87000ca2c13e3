package io.conclave.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * Work for one worker: an agent's turn on the conversation, or the synthesis over agents' notes.
 *
 * @param agent who answers, with provider, model, prompt and sampling settings
 * @param notes the agents' notes to synthesize (kind {@code synthesis} only)
 * @param finalReply whether the result is the client's reply itself (instant, thinking, synthesis)
 *     rather than notes for a join; only a final reply streams its tokens to the client
 * @param deadline when the result stops being useful; workers skip sub-tasks past it
 * @param imagesAt the {@link RequestSubmitted} record whose {@code data:} images the messages' {@code image_ref}
 *     parts point to, or null when they have none: an image travels once per request, not once per agent
 * @param watched as {@link RequestSubmitted#watched()}: false when the worker publishes no progress for it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubtaskAssigned(
        String correlationId,
        String eventId,
        Instant occurredAt,
        int schemaVersion,
        String subtaskId,
        SubtaskKind kind,
        Mode mode,
        AgentSpec agent,
        List<ChatMessage> messages,
        List<AgentNotes> notes,
        boolean finalReply,
        Instant deadline,
        RecordPosition imagesAt,
        Boolean watched) implements ConclaveEvent {

    /** A sub-task without the watched flag (the shape before it existed): watched. */
    public SubtaskAssigned(String correlationId, String eventId, Instant occurredAt, int schemaVersion,
            String subtaskId, SubtaskKind kind, Mode mode, AgentSpec agent, List<ChatMessage> messages,
            List<AgentNotes> notes, boolean finalReply, Instant deadline, RecordPosition imagesAt) {
        this(correlationId, eventId, occurredAt, schemaVersion, subtaskId, kind, mode, agent, messages, notes,
                finalReply, deadline, imagesAt, null);
    }

    /** A sub-task whose messages point to no image of the request. */
    public SubtaskAssigned(String correlationId, String eventId, Instant occurredAt, int schemaVersion,
            String subtaskId, SubtaskKind kind, Mode mode, AgentSpec agent, List<ChatMessage> messages,
            List<AgentNotes> notes, boolean finalReply, Instant deadline) {
        this(correlationId, eventId, occurredAt, schemaVersion, subtaskId, kind, mode, agent, messages, notes,
                finalReply, deadline, null);
    }
}
