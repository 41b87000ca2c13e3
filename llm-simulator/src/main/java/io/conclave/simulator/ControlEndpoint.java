package io.conclave.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Set;

/**
 * The endpoints around the chat API: {@code /v1/models} for clients that probe it, and {@code /sim/*} for tests and
 * benchmarks to read statistics and reshape latency and faults at runtime. Event-loop confined.
 */
final class ControlEndpoint {

    static final String DEFAULT_MODEL = "sim-model";

    private final ObjectMapper mapper;
    private final LiveSettings settings;
    private final ConcurrencyGate gate;
    private final SimulatorStats stats;
    private final Set<String> modelsSeen;
    private final ConfigJson configJson;
    private final Replies replies;

    ControlEndpoint(ObjectMapper mapper, LiveSettings settings, ConcurrencyGate gate, SimulatorStats stats,
                    Set<String> modelsSeen, Replies replies) {
        this.mapper = mapper;
        this.settings = settings;
        this.gate = gate;
        this.stats = stats;
        this.modelsSeen = modelsSeen;
        this.configJson = new ConfigJson(mapper);
        this.replies = replies;
    }

    void models(HttpServerRequest request) {
        ObjectNode body = mapper.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        data.addObject().put("id", DEFAULT_MODEL).put("object", "model").put("owned_by", "conclave-simulator");
        modelsSeen.stream().filter(id -> !id.equals(DEFAULT_MODEL)).forEach(id ->
                data.addObject().put("id", id).put("object", "model").put("owned_by", "conclave-simulator"));
        replies.json(request.response(), 200, body);
    }

    void stats(HttpServerRequest request) {
        replies.json(request.response(), 200, stats.snapshot(gate));
    }

    void reset(HttpServerRequest request) {
        stats.reset();
        gate.resetPeaks();
        replies.json(request.response(), 200, stats.snapshot(gate));
    }

    void config(HttpServerRequest request) {
        replies.json(request.response(), 200, configJson.toJson(settings.current()));
    }

    void updateConfig(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            SimulatorConfig updated;
            try {
                updated = configJson.apply(settings.current(), mapper.readTree(body.getBytes()));
            } catch (IOException | IllegalArgumentException e) {
                String message = e instanceof IOException ? "config is not valid JSON" : e.getMessage();
                replies.invalidRequest(request.response(), 400, "invalid_config", message);
                return;
            }
            settings.replace(updated);
            gate.limit(updated.maxConcurrency());
            replies.json(request.response(), 200, configJson.toJson(settings.current()));
        });
    }
}
