package io.conclave.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The tests' HTTP client: JSON in, status, headers and JSON out. */
final class JsonHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A reply whose body is JSON when it parses, else a text node holding the raw body. */
    record Reply(int status, HttpResponse<String> raw, JsonNode body, long millis) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private JsonHttp() {
    }

    static Reply post(String url, String body) throws IOException, InterruptedException {
        return join(postAsync(url, body));
    }

    static CompletableFuture<Reply> postAsync(String url, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(3))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> toReply(response, (System.nanoTime() - start) / 1_000_000));
    }

    static Reply get(String url) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return toReply(response, (System.nanoTime() - start) / 1_000_000);
    }

    static Reply join(CompletableFuture<Reply> reply) throws IOException, InterruptedException {
        try {
            return reply.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    private static Reply toReply(HttpResponse<String> response, long millis) {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException notJson) {
            body = JSON.getNodeFactory().textNode(response.body());
        }
        return new Reply(response.statusCode(), response, body, millis);
    }
}
