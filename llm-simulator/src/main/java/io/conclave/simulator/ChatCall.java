package io.conclave.simulator;

import io.conclave.simulator.OpenAiFormat.CallHeader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * One accepted chat completion, from waiting for a concurrency slot to the last byte. It sleeps only on Vert.x
 * timers, and when the client goes away it stops its timers and gives its slot back at once, the way a real
 * provider stops generating - which is what lets tests prove that the caller really cancelled.
 * Event-loop confined.
 */
final class ChatCall {

    private final Vertx vertx;
    private final HttpServerResponse response;
    private final ChatRequest request;
    private final Completion completion;
    private final CallHeader header;
    private final long ttftMs;
    private final long tokenMs;
    private final ConcurrencyGate gate;
    private final SimulatorStats stats;
    private final OpenAiFormat format;
    private final Runnable grant = this::onSlot;
    private final long startedAtMs = System.currentTimeMillis();

    private boolean holdingSlot;
    private boolean done;
    private long timerId = -1;
    private Long firstTokenAtMs;
    /** When the first token is due: the slot's grant + ttft, whenever its timer actually fired. */
    private long firstTokenDueNanos;
    private int sent;

    ChatCall(Vertx vertx, HttpServerResponse response, ChatRequest request, Completion completion, CallHeader header,
             long ttftMs, long tokenMs, ConcurrencyGate gate, SimulatorStats stats, OpenAiFormat format) {
        this.vertx = vertx;
        this.response = response;
        this.request = request;
        this.completion = completion;
        this.header = header;
        this.ttftMs = ttftMs;
        this.tokenMs = tokenMs;
        this.gate = gate;
        this.stats = stats;
        this.format = format;
    }

    void start() {
        response.closeHandler(v -> cancel());
        gate.acquire(grant);
    }

    private void onSlot() {
        holdingSlot = true;
        firstTokenDueNanos = System.nanoTime() + ttftMs * 1_000_000L;
        after(ttftMs, this::firstToken);
    }

    private void firstToken() {
        firstTokenAtMs = System.currentTimeMillis();
        ToolDirective toolCall = ToolDirective.next(request);
        if (toolCall != null) {
            askForTool(toolCall);
            return;
        }
        if (!request.stream()) {
            after(delayMs(firstTokenDueNanos, tokenMs, completion.tokens().size(), System.nanoTime()),
                    this::answerWhole);
            return;
        }
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        event(format.roleChunk(header));
        streamToken(0);
    }

    /**
     * Answers with a tool call instead of text. Streamed, the arguments come in two pieces, as real providers
     * split them, so clients must concatenate by index.
     */
    private void askForTool(ToolDirective call) {
        String callId = call.callId(request.toolResults());
        sent = 1;
        if (!request.stream()) {
            response.putHeader("Content-Type", "application/json")
                    .end(format.toolCallCompletion(header, call, callId, request.promptTokens()));
            finish(Outcome.COMPLETED);
            return;
        }
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        event(format.roleChunk(header));
        event(format.toolCallStartChunk(header, call, callId));
        String arguments = call.arguments();
        int half = arguments.length() / 2;
        event(format.toolCallArgumentsChunk(header, arguments.substring(0, half)));
        event(format.toolCallArgumentsChunk(header, arguments.substring(half)));
        event(format.finishChunk(header, "tool_calls"));
        if (request.includeUsage()) {
            event(format.usageChunk(header, request.promptTokens(), sent));
        }
        event("[DONE]");
        response.end();
        finish(Outcome.COMPLETED);
    }

    private void answerWhole() {
        sent = completion.tokens().size();
        String body = format.completion(header, completion, request.promptTokens());
        response.putHeader("Content-Type", "application/json").end(body);
        finish(Outcome.COMPLETED);
    }

    /**
     * Token {@code i} goes out at ttft + i * token_ms; the end of the stream at ttft + n * token_ms, both counted from
     * the slot's grant, so a late first-token timer does not push the rest back.
     */
    private void streamToken(int i) {
        if (i == completion.tokens().size()) {
            endStream();
            return;
        }
        event(format.contentChunk(header, completion.tokens().get(i)));
        sent = i + 1;
        after(delayMs(firstTokenDueNanos, tokenMs, i + 1, System.nanoTime()), () -> streamToken(i + 1));
    }

    /**
     * How long to wait for token {@code i}, due at the first token's due time + i * token_ms: a timer that fired late
     * shortens the next wait, so that a busy machine does not add its delays up over a long answer (a model
     * server generates at its own pace whatever the client's host is doing).
     */
    static long delayMs(long startNanos, long tokenMs, int i, long nowNanos) {
        long dueNanos = startNanos + i * tokenMs * 1_000_000L;
        return Math.max(0, Math.floorDiv(dueNanos - nowNanos + 999_999, 1_000_000L));
    }

    private void endStream() {
        event(format.finishChunk(header, completion.finishReason()));
        if (request.includeUsage()) {
            event(format.usageChunk(header, request.promptTokens(), sent));
        }
        event("[DONE]");
        response.end();
        finish(Outcome.COMPLETED);
    }

    private void cancel() {
        if (done) {
            return;
        }
        vertx.cancelTimer(timerId);
        if (!holdingSlot) {
            gate.abandon(grant);
        }
        finish(Outcome.CANCELLED);
    }

    private void finish(Outcome outcome) {
        done = true;
        if (holdingSlot) {
            holdingSlot = false;
            gate.release();
        }
        stats.finished(new CallRecord(header.id(), request.model(), request.temperature(), request.systemPrompt(),
                startedAtMs, firstTokenAtMs, System.currentTimeMillis(), outcome, sent, request.images()));
    }

    private void event(String data) {
        response.write("data: " + data + "\n\n");
    }

    /** Runs {@code step} after {@code delayMs}; Vert.x timers need at least 1 ms, so 0 means "next loop turn". */
    private void after(long delayMs, Runnable step) {
        if (delayMs > 0) {
            timerId = vertx.setTimer(delayMs, id -> step.run());
        } else {
            vertx.runOnContext(v -> {
                if (!done) {
                    step.run();
                }
            });
        }
    }
}
