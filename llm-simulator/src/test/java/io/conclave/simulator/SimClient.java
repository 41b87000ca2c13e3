package io.conclave.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** A plain java.net.http client for one simulator, as another module's test would use it. */
final class SimClient {

    final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String root;

    SimClient(LlmSimulator sim) {
        this.root = "http://127.0.0.1:" + sim.port();
    }

    HttpResponse<String> post(String path, String body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
        return http.sendAsync(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(HttpResponse<String> response) {
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode getJson(String path) {
        return json(get(path));
    }

    /** The payloads of the {@code data:} lines of an SSE body. */
    List<String> events(HttpResponse<String> response) {
        List<String> events = new ArrayList<>();
        response.body().lines().filter(l -> l.startsWith("data: ")).forEach(l -> events.add(l.substring(6)));
        return events;
    }

    /** Polls {@code /sim/stats} until {@code condition} holds, for effects that follow a disconnect. */
    JsonNode awaitStats(Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        JsonNode stats = getJson("/sim/stats");
        while (!condition.test(stats) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            stats = getJson("/sim/stats");
        }
        return stats;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(root + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json");
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A chat request body with an optional system prompt. */
    static String chat(String system, String user, boolean stream, String extra) {
        String messages = (system == null ? "" : "{\"role\":\"system\",\"content\":" + quote(system) + "},")
                + "{\"role\":\"user\",\"content\":" + quote(user) + "}";
        return "{\"model\":\"gpt-sim\",\"temperature\":0.7,\"stream\":" + stream + ",\"messages\":[" + messages + "]"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The value on the last line of an answer, which must read {@code Answer: X}. */
    static String answerOf(String content) {
        List<String> lines = content.lines().toList();
        String last = lines.get(lines.size() - 1);
        if (!last.matches("Answer: \\S+")) {
            throw new AssertionError("last line is not 'Answer: X': '" + last + "'");
        }
        return last.substring("Answer: ".length());
    }
}
