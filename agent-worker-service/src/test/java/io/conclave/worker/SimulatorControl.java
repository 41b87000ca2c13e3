package io.conclave.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.simulator.LlmSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Reads and reshapes a running {@link LlmSimulator} through its {@code /sim/*} endpoints. */
public final class SimulatorControl {

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String root;

    public SimulatorControl(LlmSimulator simulator) {
        this.root = "http://127.0.0.1:" + simulator.port();
    }

    /** {@code GET /sim/stats}: calls, completed, cancelled, errors429, errors500, peakConcurrency, recent, … */
    public JsonNode stats() {
        return send(HttpRequest.newBuilder(URI.create(root + "/sim/stats")).GET().build());
    }

    public void reset() {
        send(HttpRequest.newBuilder(URI.create(root + "/sim/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** {@code POST /sim/config} with a snake_case patch, e.g. {@code {"fail_next":[500]}}. */
    public void configure(String patch) {
        send(HttpRequest.newBuilder(URI.create(root + "/sim/config"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(patch)).build());
    }

    /** Polls the stats until {@code condition} holds (effects of a disconnect arrive asynchronously). */
    public JsonNode awaitStats(Predicate<JsonNode> condition) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode stats = stats();
        while (!condition.test(stats) && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            stats = stats();
        }
        return stats;
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("simulator at " + root + " unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
