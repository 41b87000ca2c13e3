package io.conclave.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Drives the LLM simulator process through its control endpoints. */
final class Simulator {

    /** Latency and error settings the tests start from: quick, no errors. */
    static final String BASELINE = """
            {"ttft_ms": 200, "token_ms": 2, "jitter_ms": 0, "tokens": 64, "max_concurrency": 0,
             "disagree_rate": 0, "error_rate_429": 0, "error_rate_500": 0, "fail_next": [], "latency_rules": []}""";

    private final String url;

    Simulator(Mesh mesh) {
        this(mesh.simulatorUrl());
    }

    /** The simulator at {@code url}, for instance one serving a named provider ({@link Mesh#simulatorUrl(String)}). */
    Simulator(String url) {
        this.url = url;
    }

    /** Puts the baseline settings back, applies {@code overrides} on top, and zeroes the stats. */
    void reset(String overrides) throws IOException, InterruptedException {
        configure(BASELINE);
        if (overrides != null) {
            configure(overrides);
        }
        JsonHttp.post(url + "/sim/reset", "{}");
    }

    void configure(String json) throws IOException, InterruptedException {
        JsonHttp.Reply reply = JsonHttp.post(url + "/sim/config", json);
        if (reply.status() != 200) {
            throw new IllegalStateException("simulator refused config " + json + ": " + reply.body());
        }
    }

    JsonNode stats() throws IOException, InterruptedException {
        return JsonHttp.get(url + "/sim/stats").body();
    }

    /** The calls the simulator saw, oldest first. */
    List<JsonNode> calls() throws IOException, InterruptedException {
        List<JsonNode> calls = new ArrayList<>();
        stats().path("recent").forEach(calls::add);
        return calls;
    }
}
