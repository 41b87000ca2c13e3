package io.conclave.worker.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.worker.llm.ToolSpec;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code http_get}: fetches one URL for an agent, behind {@link SsrfGuard}: allowlisted hosts only, public
 * addresses only, resolved once and connected to by address (the host still goes in {@code Host} and SNI), no
 * redirects followed, the body cut at a size cap and the whole call at a time cap. Off unless configured.
 */
final class HttpGetTool implements Tool {

    static final String NAME = "http_get";
    private final ToolSpec spec;
    private final SsrfGuard guard;
    private final Vertx vertx;
    private final HttpClient http;
    private final int maxBytes;
    private final Duration timeout;

    HttpGetTool(ObjectMapper mapper, Vertx vertx, SsrfGuard guard, int maxBytes, Duration timeout) {
        this.spec = new ToolSpec(NAME, "Fetches a web page or API response by HTTP GET and returns its status and "
                + "the start of its body. Only some hosts are allowed.",
                Schemas.object(mapper, "url", "the absolute http(s) URL to fetch"));
        this.guard = guard;
        this.vertx = vertx;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setKeepAlive(false)
                .setTrustAll(false)
                .setVerifyHost(true)
                .setName("conclave-tool-http-get"));
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public Uni<String> call(JsonNode arguments) {
        JsonNode url = arguments.path("url");
        if (!url.isTextual()) {
            return Uni.createFrom().failure(new ToolException("argument 'url' (a string) is missing"));
        }
        // DNS lookups block: the guard runs on a worker thread, never on the event loop.
        return Uni.createFrom().completionStage(() -> vertx.executeBlocking(() -> guard.check(url.textValue()), false)
                        .toCompletionStage())
                .chain(this::fetch);
    }

    private Uni<String> fetch(SsrfGuard.Target target) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.ssl())
                .setURI(target.pathAndQuery())
                .setFollowRedirects(false)
                .putHeader("Accept", "text/*, application/json;q=0.9, */*;q=0.1")
                .putHeader("User-Agent", "conclave-agent-worker");
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean done = new AtomicBoolean();
            HttpClientRequest[] sent = new HttpClientRequest[1];
            long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
                if (done.compareAndSet(false, true)) {
                    if (sent[0] != null) {
                        sent[0].reset();
                    }
                    emitter.fail(new ToolException("no response from " + target.uri() + " within "
                            + timeout.toMillis() + " ms"));
                }
            });
            emitter.onTermination(() -> {
                vertx.cancelTimer(timer);
                if (done.compareAndSet(false, true) && sent[0] != null) {
                    sent[0].reset();
                }
            });
            http.request(options).onFailure(failure -> fail(done, emitter, target, failure)).onSuccess(request -> {
                sent[0] = request;
                request.send().onFailure(failure -> fail(done, emitter, target, failure)).onSuccess(response -> {
                    Buffer body = Buffer.buffer();
                    AtomicBoolean truncated = new AtomicBoolean();
                    response.handler(chunk -> {
                        if (body.length() + chunk.length() > maxBytes) {
                            body.appendBuffer(chunk, 0, maxBytes - body.length());
                            truncated.set(true);
                            finish(done, emitter, response.statusCode(), response.getHeader("Location"), body, true);
                            request.reset();
                        } else {
                            body.appendBuffer(chunk);
                        }
                    });
                    response.exceptionHandler(failure -> fail(done, emitter, target, failure));
                    response.endHandler(v -> finish(done, emitter, response.statusCode(),
                            response.getHeader("Location"), body, truncated.get()));
                });
            });
        });
    }

    private static void finish(AtomicBoolean done, io.smallrye.mutiny.subscription.UniEmitter<? super String> emitter,
            int status, String location, Buffer body, boolean truncated) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        StringBuilder result = new StringBuilder("HTTP ").append(status);
        if (status / 100 == 3) {
            result.append(" (redirect not followed").append(location == null ? "" : " to " + location).append(')');
        }
        result.append('\n').append(new String(body.getBytes(), StandardCharsets.UTF_8));
        if (truncated) {
            result.append("\n[truncated at ").append(body.length()).append(" bytes]");
        }
        emitter.complete(result.toString());
    }

    private static void fail(AtomicBoolean done, io.smallrye.mutiny.subscription.UniEmitter<? super String> emitter,
            SsrfGuard.Target target, Throwable failure) {
        if (done.compareAndSet(false, true)) {
            emitter.fail(new ToolException("fetching " + target.uri() + " failed: " + failure.getMessage()));
        }
    }

    void close() {
        http.close();
    }
}
