package io.conclave.gateway.stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conclave.contracts.ProgressKind;
import io.conclave.contracts.ProgressUpdated;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.gateway.api.ApiError;
import io.conclave.gateway.progress.Update;
import io.conclave.gateway.reply.Reply;
import io.conclave.gateway.reply.ReplyMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one request's updates into the OpenAI streaming wire format: {@code chat.completion.chunk}
 * events with one id, token deltas as they come through {@code conclave.progress}, the last chunk with
 * {@code finish_reason} and the {@code conclave} object, an optional usage chunk, then {@code data: [DONE]}.
 *
 * <p>Agent progress (planned, agent started, agent finished) goes out as SSE comment lines,
 * {@code : conclave {"kind":...}}: the SSE standard has every client skip comments, so OpenAI SDKs are
 * unaffected, while a raw reader (curl, a proxy log) sees the agents work. Deltas are at least once: a batch
 * whose sequence was seen is dropped, and the final result, which is authoritative, supplies whatever text
 * the deltas did not (a lost batch, a stream opened late). Not thread-safe: one per stream, fed in order.
 */
public final class ChunkStream {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String DONE = "data: [DONE]\n\n";

    private final String id;
    private final String model;
    private final long created;
    private final boolean includeUsage;
    private final ReplyMapper mapper;
    private final StringBuilder sent = new StringBuilder();
    private String deltaSubtask;
    private long lastSequence;
    private boolean ended;

    public ChunkStream(String correlationId, String model, long createdEpochSeconds, boolean includeUsage,
            ReplyMapper mapper) {
        this.id = "chatcmpl-" + correlationId;
        this.model = model;
        this.created = createdEpochSeconds;
        this.includeUsage = includeUsage;
        this.mapper = mapper;
    }

    /** The first chunk: the assistant's role, as OpenAI sends it. */
    public String start() {
        ObjectNode delta = JSON.objectNode();
        delta.put("role", "assistant");
        delta.put("content", "");
        return data(chunk(delta, null));
    }

    /** The SSE frames for one update; empty when there is nothing to send. */
    public List<String> on(Update update) {
        if (update instanceof Update.Progress progress) {
            return progress(progress.event());
        }
        return finished(((Update.Finished) update).result());
    }

    /** No result within the deadline: an error event, then the end of the stream. */
    public List<String> timedOut(ApiError error) {
        ended = true;
        return List.of(data(error.body()), DONE);
    }

    /** Whether the stream's last frame ({@code [DONE]}) was produced. */
    public boolean ended() {
        return ended;
    }

    private List<String> progress(ProgressUpdated event) {
        if (event.kind() != ProgressKind.DELTA) {
            return List.of(comment(event));
        }
        if (event.delta() == null || event.delta().isEmpty()) {
            return List.of();
        }
        if (deltaSubtask == null) {
            deltaSubtask = event.subtaskId();
        }
        boolean sameWriter = deltaSubtask == null ? event.subtaskId() == null : deltaSubtask.equals(event.subtaskId());
        if (!sameWriter || event.sequence() <= lastSequence) {
            return List.of();
        }
        lastSequence = event.sequence();
        return List.of(content(event.delta()));
    }

    private List<String> finished(RequestCompleted result) {
        ended = true;
        List<String> frames = new ArrayList<>();
        Reply reply = mapper.map(result, model, Instant.ofEpochSecond(created));
        if (result.status() == RequestStatus.FAILED || result.status() == RequestStatus.CANCELLED) {
            frames.add(data(reply.body()));
            frames.add(DONE);
            return frames;
        }
        String content = result.content() == null ? "" : result.content();
        if (content.length() > sent.length() && content.startsWith(sent.toString())) {
            frames.add(content(content.substring(sent.length())));
        }
        ObjectNode last = chunk(JSON.objectNode(), "stop");
        last.set("conclave", reply.body().get("conclave"));
        frames.add(data(last));
        if (includeUsage) {
            ObjectNode usage = chunk(null, null);
            usage.set("usage", reply.body().get("usage"));
            frames.add(data(usage));
        }
        frames.add(DONE);
        return frames;
    }

    private String content(String text) {
        sent.append(text);
        ObjectNode delta = JSON.objectNode();
        delta.put("content", text);
        return data(chunk(delta, null));
    }

    /** A chunk with one choice holding {@code delta}, or with no choice at all when delta is null (usage). */
    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = JSON.objectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        var choices = chunk.putArray("choices");
        if (delta != null) {
            ObjectNode choice = choices.addObject();
            choice.put("index", 0);
            choice.set("delta", delta);
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private static String comment(ProgressUpdated event) {
        ObjectNode progress = JSON.objectNode();
        progress.put("kind", event.kind().name().toLowerCase(Locale.ROOT));
        if (event.agentId() != null) {
            progress.put("agent_id", event.agentId());
        }
        if (event.role() != null) {
            progress.put("role", event.role());
        }
        if (event.subtaskId() != null) {
            progress.put("subtask_id", event.subtaskId());
        }
        return ": conclave " + progress + "\n\n";
    }

    private static String data(ObjectNode node) {
        return "data: " + node + "\n\n";
    }
}
