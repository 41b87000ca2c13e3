package io.conclave.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Owns one simulator's HTTP server and all of its state. A single verticle instance runs on a single event loop,
 * so that state needs no locks.
 */
final class SimulatorVerticle extends AbstractVerticle {

    private final SimulatorConfig config;
    private final String host;
    private HttpServer server;

    SimulatorVerticle(SimulatorConfig config, String host) {
        this.config = config;
        this.host = host;
    }

    @Override
    public void start(Promise<Void> started) {
        ObjectMapper mapper = new ObjectMapper();
        OpenAiFormat format = new OpenAiFormat(mapper);
        LiveSettings settings = new LiveSettings(config);
        ConcurrencyGate gate = new ConcurrencyGate(config.maxConcurrency());
        SimulatorStats stats = new SimulatorStats();
        Set<String> modelsSeen = new LinkedHashSet<>();
        Replies replies = new Replies(format);
        ChatEndpoint chat = new ChatEndpoint(vertx, mapper, settings, gate, stats, modelsSeen, format, replies);
        ControlEndpoint control = new ControlEndpoint(mapper, settings, gate, stats, modelsSeen, replies);
        Map<String, Map<HttpMethod, Handler<HttpServerRequest>>> routes = Map.of(
                "/v1/chat/completions", Map.of(HttpMethod.POST, chat::handle),
                "/v1/models", Map.of(HttpMethod.GET, control::models),
                "/sim/stats", Map.of(HttpMethod.GET, control::stats),
                "/sim/reset", Map.of(HttpMethod.POST, control::reset),
                "/sim/config", Map.of(HttpMethod.GET, control::config, HttpMethod.POST, control::updateConfig));
        // HTTP/1.1 only (no h2c upgrade): a closed connection is then exactly a cancelled call.
        server = vertx.createHttpServer(new HttpServerOptions()
                        .setHttp2ClearTextEnabled(false)
                        .setHandle100ContinueAutomatically(true))
                .requestHandler(request -> route(routes, replies, request));
        server.listen(config.port(), host)
                .<Void>mapEmpty()
                .onComplete(started);
    }

    int port() {
        return server.actualPort();
    }

    private static void route(Map<String, Map<HttpMethod, Handler<HttpServerRequest>>> routes, Replies replies,
                              HttpServerRequest request) {
        Map<HttpMethod, Handler<HttpServerRequest>> byMethod = routes.get(request.path());
        if (byMethod == null) {
            replies.invalidRequest(request.response(), 404, "unknown_url",
                    "Unknown request URL: " + request.method() + " " + request.path());
        } else if (!byMethod.containsKey(request.method())) {
            replies.invalidRequest(request.response(), 405, "method_not_allowed",
                    request.method() + " is not allowed on " + request.path());
        } else {
            byMethod.get(request.method()).handle(request);
        }
    }
}
