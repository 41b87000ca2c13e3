package io.conclave.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.simulator.OpenAiFormat.CallHeader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code POST /v1/chat/completions}: validates the request, injects the configured faults, and hands accepted calls
 * to a {@link ChatCall}. Event-loop confined.
 */
final class ChatEndpoint {

    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final LiveSettings settings;
    private final ConcurrencyGate gate;
    private final SimulatorStats stats;
    private final Set<String> modelsSeen;
    private final OpenAiFormat format;
    private final Replies replies;
    private final AnswerGenerator answers = new AnswerGenerator();
    private long lastId;

    ChatEndpoint(Vertx vertx, ObjectMapper mapper, LiveSettings settings, ConcurrencyGate gate,
                 SimulatorStats stats, Set<String> modelsSeen, OpenAiFormat format, Replies replies) {
        this.vertx = vertx;
        this.mapper = mapper;
        this.settings = settings;
        this.gate = gate;
        this.stats = stats;
        this.modelsSeen = modelsSeen;
        this.format = format;
        this.replies = replies;
    }

    void handle(HttpServerRequest request) {
        stats.received();
        request.body().onSuccess(body -> handle(body, request.response()));
    }

    private void handle(Buffer body, HttpServerResponse response) {
        ChatRequest chat;
        try {
            chat = ChatRequest.parse(readJson(body));
        } catch (InvalidRequestException e) {
            replies.invalidRequest(response, 400, e.code(), e.getMessage());
            return;
        }
        modelsSeen.add(chat.model());
        CallHeader header = new CallHeader("chatcmpl-sim-" + ++lastId, System.currentTimeMillis() / 1000, chat.model());
        OptionalInt failure = settings.nextFailure();
        if (failure.isPresent()) {
            fail(response, failure.getAsInt(), chat, header);
            return;
        }
        Completion planning = PlanningReply.of(chat);
        Completion completion = planning != null ? planning
                : answers.generate(chat, settings.tokens(), settings.disagreeRate());
        new ChatCall(vertx, response, chat, completion, header, settings.ttftMs(chat), settings.tokenMs(), gate,
                stats, format).start();
    }

    private JsonNode readJson(Buffer body) {
        try {
            return mapper.readTree(body.getBytes());
        } catch (IOException e) {
            throw new InvalidRequestException("invalid_json", "request body is not valid JSON");
        }
    }

    private void fail(HttpServerResponse response, int status, ChatRequest chat, CallHeader header) {
        if (status == 429) {
            replies.rateLimited(response, settings.retryAfterS());
        } else {
            replies.serverError(response);
        }
        long now = System.currentTimeMillis();
        stats.finished(new CallRecord(header.id(), chat.model(), chat.temperature(), chat.systemPrompt(), now, null,
                now, Outcome.ofStatus(status), 0, chat.images()));
    }
}
