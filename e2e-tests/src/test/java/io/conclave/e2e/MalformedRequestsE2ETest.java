package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input never gets a 5xx: hundreds of generated malformed and hostile bodies (seeded, so a failure
 * repeats) against the running gateway, each answered with a 4xx and an OpenAI-style error object (a body
 * that happens to be valid is simply answered).
 */
@ExtendWith(MeshExtension.class)
class MalformedRequestsE2ETest {

    private static final long SEED = 20_260_301L;
    private static final int BODIES = 600;
    private static final String VALID = "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi\"}],\"max_tokens\":16,\"temperature\":0.2,\"stream\":false,"
            + "\"conclave\":{\"agents\":1,\"deadline_ms\":20000}}";
    private static final List<String> FIELDS = List.of("model", "messages", "max_tokens", "max_completion_tokens",
            "temperature", "stream", "stream_options", "reasoning_effort", "conclave", "n", "tools");
    private static final List<String> CONCLAVE_FIELDS = List.of("agents", "strategy", "deadline_ms", "quorum",
            "unknown");
    private static final List<String> HOSTILE = List.of("null", "-1", "0", "1e309", "-0.0", "1.5", "true", "\"\"",
            "[]", "{}", "[null]", "[{}]", "\"conclave\"", "\"" + "x".repeat(5000) + "\"", "9".repeat(400),
            "\"\\u0000\"", "\"\\ud800\"", "{\"role\":\"user\"}", "[{\"role\":\"user\",\"content\":[]}]",
            "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]",
            "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":7}]}]", "\"high\"", "\"vote\"",
            "2147483648", "-9223372036854775809", "{\"include_usage\":\"yes\"}", "[[[[[[]]]]]]");
    private static final List<String> WHOLE = List.of("", " ", "null", "[]", "1", "\"text\"", "{", "}", "{}",
            "{\"model\":}", "{\"model\":\"conclave-instant\",\"model\":\"conclave-instant\"}", "\uFEFF{}",
            "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}garbage",
            "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000));

    private final Mesh mesh;

    MalformedRequestsE2ETest(Mesh mesh) {
        this.mesh = mesh;
    }

    @Test
    void generatedMalformedBodiesAreAll4xxWithAnOpenAiError() throws Exception {
        Random random = new Random(SEED);
        List<String> bodies = new ArrayList<>(WHOLE);
        while (bodies.size() < BODIES) {
            bodies.add(mutate(random));
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore parallel = new Semaphore(8);
        List<CompletableFuture<String>> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            String path = i % 5 == 0 ? "/v1/requests" : "/v1/chat/completions";
            String contentType = i % 50 == 7 ? "text/plain" : "application/json";
            parallel.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create(mesh.gatewayUrl() + path))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            failures.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> parallel.release())
                    .thenApply(response -> {
                        synchronized (statuses) {
                            statuses.merge(response.statusCode(), 1, Integer::sum);
                        }
                        return problem(response, body);
                    }));
        }
        List<String> problems = new ArrayList<>();
        for (CompletableFuture<String> failure : failures) {
            String problem = failure.join();
            if (problem != null) {
                problems.add(problem);
            }
        }
        System.out.printf("malformed bodies: %d sent, statuses %s%n", bodies.size(), statuses);
        assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())), problems.size() + " problems");
        assertTrue(statuses.keySet().stream().filter(status -> status >= 400).count() >= 2,
                "the generator reaches several kinds of refusal: " + statuses);
        assertTrue(bodies.size() >= 500);
    }

    /** Null when the reply is acceptable: a 2xx, or a 4xx with an OpenAI-style error object. */
    private static String problem(HttpResponse<String> response, String body) {
        int status = response.statusCode();
        String sample = body.length() > 200 ? body.substring(0, 200) + "…" : body;
        if (status >= 500) {
            return status + " for " + sample + " → " + response.body();
        }
        if (status < 400) {
            return null;
        }
        try {
            JsonNode error = JsonHttp.JSON.readTree(response.body()).path("error");
            if (!error.path("message").isTextual() || !error.path("type").isTextual() || !error.has("code")
                    || !error.has("param")) {
                return "not an OpenAI error: " + status + " " + response.body() + " for " + sample;
            }
        } catch (Exception e) {
            return "not JSON: " + status + " " + response.body() + " for " + sample;
        }
        return null;
    }

    private static String mutate(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> VALID.substring(0, random.nextInt(VALID.length()));
            case 1 -> flip(VALID, random, 1 + random.nextInt(4));
            case 2 -> VALID.replaceFirst("\"" + pick(FIELDS, random) + "\":", "\"" + pick(FIELDS, random) + "\":"
                    + pick(HOSTILE, random) + ",\"x" + random.nextInt(1000) + "\":");
            case 3 -> "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\""
                    + pick(FIELDS, random) + "\":" + pick(HOSTILE, random) + "}";
            case 4 -> "{\"model\":\"conclave-instant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                    + "\"conclave\":{\"" + pick(CONCLAVE_FIELDS, random) + "\":" + pick(HOSTILE, random) + "}}";
            default -> "{\"model\":" + pick(HOSTILE, random) + ",\"messages\":" + pick(HOSTILE, random) + "}";
        };
    }

    private static String flip(String text, Random random, int times) {
        char[] chars = text.toCharArray();
        String alphabet = "{}[]\":,\\ 0-e.tnu\u0000\u00e9\ud83d";
        for (int i = 0; i < times; i++) {
            chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(chars);
    }

    private static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }
}
