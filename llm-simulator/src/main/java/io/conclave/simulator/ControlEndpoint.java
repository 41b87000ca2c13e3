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

    /**
     * {@code ?recent=N} keeps only the last N call records (0 to {@value SimulatorStats#RECENT_LIMIT}): all of them
     * are ~300 KB of JSON, which a benchmark polling the counters several times a second would pay for on the
     * simulator's event loop, between the tokens it paces.
     */
    void stats(HttpServerRequest request) {
        String recent = request.getParam("recent");
        int limit = SimulatorStats.RECENT_LIMIT;
        if (recent != null) {
            try {
                limit = Integer.parseInt(recent);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0 || limit > SimulatorStats.RECENT_LIMIT) {
                replies.invalidRequest(request.response(), 400, "invalid_recent", "recent must be a whole number "
                        + "from 0 to " + SimulatorStats.RECENT_LIMIT + " (the call records to list), not '" + recent
                        + "'");
                return;
            }
        }
        replies.json(request.response(), 200, stats.snapshot(gate, limit));
    }

    void reset(HttpServerRequest request) {
        stats.reset();
        gate.resetPeaks();
        replies.json(request.response(), 200, stats.snapshot(gate, SimulatorStats.RECENT_LIMIT));
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
