package io.conclave.worker.llm;

import io.conclave.contracts.ContentPart;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A thin, non-blocking OpenAI chat-completions client for one provider: one call per subscription, one attempt,
 * no retries. A streamed call emits a chunk per server-sent event; one made without streaming emits its whole
 * answer as one chunk. It exists (rather than a library client) because early stop and deadlines need the
 * upstream to see an abort: cancelling the subscription, or running out of time, resets the HTTP request, which
 * closes its connection. Every callback runs on the Vert.x context the call started on.
 */
public final class OpenAiChatClient implements AutoCloseable {

    private final ProviderSettings settings;
    private final Vertx vertx;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final Clock clock;

    public OpenAiChatClient(Vertx vertx, ObjectMapper mapper, Clock clock, ProviderSettings settings) {
        this.settings = settings;
        this.vertx = vertx;
        this.mapper = mapper;
        this.clock = clock;
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(settings.host())
                .setDefaultPort(settings.port())
                .setSsl(settings.ssl())
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setName("conclave-llm-" + settings.name());
        // Pool size explicit: one connection per concurrent stream; the default (5) would queue agents.
        this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(settings.maxConnections()));
    }

    public ProviderSettings settings() {
        return settings;
    }

    /**
     * Makes one chat completion: streamed ({@code stream: true}, usage included) when the request or the provider
     * settings ask for it, else as one response body.
     *
     * @param timeout the whole call's budget, from sending the request to the last event
     * @param bound what set the budget, for the failure's reason ({@code "the sub-task's deadline"}, …)
     * @return chunks in arrival order; fails with {@link LlmCallException}; cancelling closes the connection
     */
    public Multi<ChatChunk> stream(LlmRequest request, Duration timeout, String bound) {
        boolean streamed = request.stream() || settings.alwaysStream();
        Buffer body = Buffer.buffer(body(request, streamed));
        return Multi.createFrom().emitter(emitter -> new Call(emitter, streamed, timeout, bound).start(body));
    }

    @Override
    public void close() {
        http.closeAndForget();
    }

    private String body(LlmRequest request, boolean streamed) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", request.model() == null ? settings.defaultModel() : request.model());
        ArrayNode messages = body.putArray("messages");
        for (LlmMessage message : request.messages()) {
            ObjectNode node = messages.addObject().put("role", message.role());
            if (message.parts() == null) {
                node.put("content", message.content());
            } else {
                contentParts(node.putArray("content"), message.parts());
            }
            if (!message.toolCalls().isEmpty()) {
                ArrayNode calls = node.putArray("tool_calls");
                for (ToolCall call : message.toolCalls()) {
                    calls.addObject().put("id", call.id()).put("type", "function")
                            .putObject("function").put("name", call.name()).put("arguments", call.arguments());
                }
            }
            if (message.toolCallId() != null) {
                node.put("tool_call_id", message.toolCallId());
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name()).put("description", tool.description());
                function.set("parameters", tool.parameters());
            }
            if (request.toolsRefused()) {
                body.put("tool_choice", "none");
            }
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.maxTokens() != null && request.maxTokens() > 0) {
            body.put("max_tokens", request.maxTokens());
        }
        body.put("stream", streamed);
        if (streamed) {
            body.putObject("stream_options").put("include_usage", true);
        }
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a chat-completions request", e);
        }
    }

    /** OpenAI's content parts: {@code {"type":"text","text"}} and {@code {"type":"image_url","image_url":{url,detail}}}. */
    private static void contentParts(ArrayNode content, List<ContentPart> parts) {
        for (ContentPart part : parts) {
            switch (part.type()) {
                case ContentPart.TEXT -> content.addObject().put("type", "text").put("text", part.text());
                case ContentPart.IMAGE_URL -> {
                    ObjectNode image = content.addObject().put("type", "image_url").putObject("image_url");
                    image.put("url", part.imageUrl());
                    if (part.detail() != null) {
                        image.put("detail", part.detail());
                    }
                }
                default -> throw new IllegalArgumentException("a content part of type '" + part.type()
                        + "' cannot be sent to a model (an image reference must be resolved first)");
            }
        }
    }

    private RequestOptions requestOptions() {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI(settings.completionsPath())
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "text/event-stream, application/json");
        if (settings.apiKey() != null) {
            options.putHeader("Authorization", "Bearer " + settings.apiKey());
        }
        return options;
    }

    /** The state of one call, from sending the request to its end, failure or cancellation. */
    private final class Call {
        private final MultiEmitter<? super ChatChunk> emitter;
        private final boolean streamed;
        private final Duration timeout;
        private final String bound;
        private final SseDecoder decoder = new SseDecoder();
        private final ChunkParser parser = new ChunkParser(mapper, settings.name());
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile HttpClientRequest request;
        private volatile boolean responseEnded;
        private volatile long timer = -1;

        Call(MultiEmitter<? super ChatChunk> emitter, boolean streamed, Duration timeout, String bound) {
            this.emitter = emitter;
            this.streamed = streamed;
            this.timeout = timeout;
            this.bound = bound;
        }

        void start(Buffer body) {
            emitter.onTermination(this::release);
            if (io.vertx.core.Vertx.currentContext() != null) {
                send(body);
            } else {
                // Keep the timer and the HTTP callbacks on one context, so they never race.
                vertx.getOrCreateContext().runOnContext(() -> send(body));
            }
        }

        private void send(Buffer body) {
            if (finished.get()) {
                return;
            }
            timer = vertx.setTimer(Math.max(1, timeout.toMillis()),
                    id -> fail(LlmCallException.timeout(settings.name(), timeout, bound)));
            http.request(requestOptions())
                    .onItem().invoke(this::attach)
                    .chain(sent -> sent.send(body))
                    .subscribe().with(this::onResponse,
                            failure -> fail(LlmCallException.connection(settings.name(), failure)));
        }

        private void attach(HttpClientRequest sent) {
            request = sent;
            if (finished.get()) {
                sent.reset();
            }
        }

        private void onResponse(HttpClientResponse response) {
            if (finished.get()) {
                return;
            }
            int status = response.statusCode();
            String contentType = String.valueOf(response.getHeader("Content-Type"));
            boolean eventStream = contentType.startsWith("text/event-stream");
            if (status / 100 == 2 && !streamed && !eventStream) {
                response.body().subscribe().with(this::onWholeBody,
                        failure -> fail(LlmCallException.connection(settings.name(), failure)));
                return;
            }
            if (status / 100 != 2 || contentType.startsWith("application/json")) {
                Duration retryAfter = RetryAfter.parse(response.getHeader("Retry-After"), clock.instant());
                response.body().subscribe().with(
                        errorBody -> {
                            responseEnded = true;
                            fail(status / 100 != 2
                                    ? LlmCallException.http(settings.name(), status, retryAfter, message(errorBody))
                                    : LlmCallException.protocol(settings.name(),
                                            "expected an event stream, got " + contentType, null));
                        },
                        failure -> fail(LlmCallException.connection(settings.name(), failure)));
                return;
            }
            response.handler(this::onData);
            response.exceptionHandler(failure -> fail(LlmCallException.connection(settings.name(), failure)));
            response.endHandler(this::onEnd);
        }

        /** The answer of a call made without streaming: one {@code chat.completion}. */
        private void onWholeBody(Buffer body) {
            responseEnded = true;
            if (finished.get()) {
                return;
            }
            try {
                emitter.emit(parser.completion(body.toString()));
            } catch (LlmCallException e) {
                fail(e);
                return;
            }
            if (finished.compareAndSet(false, true)) {
                emitter.complete();
            }
        }

        private void onData(Buffer buffer) {
            emitAll(decoder.feed(buffer.getBytes()));
        }

        private void onEnd() {
            responseEnded = true;
            emitAll(decoder.finish());
            if (finished.compareAndSet(false, true)) {
                emitter.complete();
            }
        }

        private void emitAll(Iterable<String> events) {
            for (String data : events) {
                if (finished.get()) {
                    return;
                }
                try {
                    parser.parse(data).ifPresent(emitter::emit);
                } catch (LlmCallException e) {
                    fail(e);
                }
            }
        }

        private void fail(LlmCallException failure) {
            if (finished.compareAndSet(false, true)) {
                emitter.fail(failure);
            }
        }

        /** Runs on completion, failure and cancellation alike. */
        private void release() {
            finished.set(true);
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            HttpClientRequest sent = request;
            if (sent != null && !responseEnded) {
                sent.reset(); // HTTP/1.1: closes the connection, so the upstream stops generating
            }
        }

        private String message(Buffer body) {
            String text = body.toString();
            if (text.isBlank()) {
                return "empty response body";
            }
            try {
                JsonNode error = mapper.readTree(text).path("error");
                if (error.path("message").isTextual()) {
                    return error.path("message").textValue();
                }
                if (error.isTextual()) {
                    return error.textValue();
                }
            } catch (JsonProcessingException e) {
                // not JSON: the raw text is the best message there is
            }
            return ChunkParser.abbreviate(text.strip());
        }
    }
}
