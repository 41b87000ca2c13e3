package io.conclave.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.contracts.Headers;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * {@code POST /v1/chat/completions} as a Vert.x route rather than a JAX-RS method: one endpoint answers
 * either JSON or an SSE stream depending on the body's {@code stream}, and a stream must write its chunks
 * as they come, which JAX-RS' per-method content type does not allow. Runs on the event loop, blocking
 * nothing; the OpenAPI document describes it from {@code META-INF/openapi.yaml}.
 */
@Singleton
public final class ChatCompletionsRoute {

    public static final String PATH = "/v1/chat/completions";
    private static final Logger LOG = Logger.getLogger(ChatCompletionsRoute.class);

    /** Looked up per call: the route is registered before the messaging channels its publisher needs exist. */
    private final Provider<ChatCompletions> completions;
    private final long maxBodyBytes;
    /** Bodies up to this size are validated on the event loop; larger ones (images) on a worker thread. */
    private static final int EVENT_LOOP_BODY_CHARS = 64 * 1024;

    @Inject
    public ChatCompletionsRoute(Provider<ChatCompletions> completions,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.completions = completions;
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void register(@Observes Router router) {
        router.post(PATH).order(-100)
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(this::handle)
                .failureHandler(this::failed);
        router.route(PATH).order(-99).handler(context -> write(context.response(),
                ErrorMappers.errorFor(405, null).toResponse()));
    }

    private void handle(RoutingContext context) {
        HttpServerResponse response = context.response();
        String contentType = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            write(response, ErrorMappers.errorFor(415, null).toResponse());
            return;
        }
        ChatCompletions completions = this.completions.get();
        String body = context.body().asString("UTF-8");
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (body == null || body.length() <= EVENT_LOOP_BODY_CHARS) {
            accepted(response, completions, accept(completions, body, authorization));
            return;
        }
        // A large body carries images: decoding them takes milliseconds, which an event loop must not spend.
        context.vertx().<Accepted>executeBlocking(() -> accept(completions, body, authorization), false)
                .onComplete(done -> {
                    if (done.succeeded()) {
                        accepted(response, completions, done.result());
                    } else {
                        unexpected(response, done.cause());
                    }
                });
    }

    /** An admitted call, or the error that refused it. */
    private record Accepted(ChatCompletions.Call call, Response refused) {
    }

    private static Accepted accept(ChatCompletions completions, String body, String authorization) {
        try {
            return new Accepted(completions.accept(body, authorization), null);
        } catch (ApiException e) {
            return new Accepted(null, e.error().toResponse());
        } finally {
            MDC.remove(ChatCompletions.MDC_CORRELATION_ID);
        }
    }

    private void accepted(HttpServerResponse response, ChatCompletions completions, Accepted accepted) {
        if (accepted.refused() != null) {
            write(response, accepted.refused());
            return;
        }
        ChatCompletions.Call call = accepted.call();
        if (call.stream()) {
            completions.stream(call).subscribe().with(
                    streaming -> {
                        if (streaming.refused() != null) {
                            write(response, streaming.refused());
                        } else {
                            stream(response, call, streaming, () -> completions.abandoned(call));
                        }
                    },
                    failure -> unexpected(response, failure));
        } else {
            // The close handler goes first: Vert.x refuses one on a response that has already ended.
            AtomicReference<Cancellable> pending = new AtomicReference<>();
            response.closeHandler(closed -> {
                completions.abandoned(call);
                cancel(pending);
            });
            Uni<Response> reply = completions.complete(call);
            pending.set(reply.subscribe().with(answer -> write(response, answer),
                    failure -> unexpected(response, failure)));
        }
    }

    private static void stream(HttpServerResponse response, ChatCompletions.Call call,
            ChatCompletions.Streaming streaming, Runnable abandoned) {
        String correlationId = call.correlationId();
        if (response.closed()) {
            abandoned.run();
            return;
        }
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader(Headers.CORRELATION_ID, correlationId)
                .putHeader("X-Accel-Buffering", "no");
        AtomicReference<Cancellable> frames = new AtomicReference<>();
        response.closeHandler(closed -> {
            abandoned.run();
            cancel(frames);
        });
        frames.set(streaming.frames().subscribe().with(
                frame -> {
                    if (!response.closed()) {
                        response.write(frame);
                    }
                },
                failure -> {
                    LOG.errorf(failure, "stream %s failed", correlationId);
                    if (!response.ended() && !response.closed()) {
                        response.end();
                    }
                },
                () -> {
                    if (!response.ended() && !response.closed()) {
                        response.end();
                    }
                }));
    }

    private static void cancel(AtomicReference<Cancellable> subscription) {
        Cancellable cancellable = subscription.get();
        if (cancellable != null) {
            cancellable.cancel();
        }
    }

    /** The body handler refused the body (too large) or a handler failed. */
    private void failed(RoutingContext context) {
        int status = context.statusCode();
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        if (status == 413) {
            write(context.response(), ErrorMappers.errorFor(413, null).toResponse());
        } else if (status >= 400 && status < 500) {
            write(context.response(), ErrorMappers.errorFor(status, "the request body could not be read").toResponse());
        } else {
            unexpected(context.response(), context.failure());
        }
    }

    private static void unexpected(HttpServerResponse response, Throwable failure) {
        LOG.error("unexpected failure", failure);
        write(response, new ApiError(500, "server_error", "internal_error", "the gateway failed unexpectedly", null)
                .toResponse());
    }

    /** Writes a JAX-RS {@link Response} with a JSON entity to the Vert.x response. */
    static void write(HttpServerResponse response, Response reply) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(reply.getStatus());
        for (Map.Entry<String, List<String>> header : reply.getStringHeaders().entrySet()) {
            response.putHeader(header.getKey(), header.getValue());
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        Object entity = reply.getEntity();
        response.end(entity instanceof JsonNode json ? json.toString() : String.valueOf(entity));
    }

}
