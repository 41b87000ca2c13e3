package io.conclave.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conclave.bench.OpenLoad.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two clients the benchmark compares at the same arrival rate: one asks the mesh's gateway, the other does the
 * same job straight against the simulator (N parallel calls, then one synthesis call) — the physical limit.
 */
public final class LoadClients {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4, daemon())).connectTimeout(Duration.ofSeconds(5)).build();

    /** What each request asks; the question differs per request so no two requests are the same conversation. */
    public record Job(String model, int agents, String strategy, boolean stream) {
        boolean instant() {
            return "conclave-instant".equals(model);
        }
    }

    static String question(int index) {
        return "Benchmark question " + index + ": is " + (1000 + (index * 7919L) % 9000) + " a prime number?";
    }

    /** {@code POST /v1/chat/completions} on the gateway; ok when the answer is 200 with status {@code complete}. */
    public CompletableFuture<Outcome> mesh(String gatewayUrl, Job job, int index) {
        ObjectNode body = JSON.createObjectNode().put("model", job.model());
        body.putArray("messages").addObject().put("role", "user").put("content", question(index));
        if (job.stream()) {
            body.put("stream", true);
        }
        if (!job.instant()) {
            ObjectNode conclave = body.putObject("conclave").put("agents", job.agents());
            if (job.strategy() != null) {
                conclave.put("strategy", job.strategy());
            }
        }
        HttpRequest request = post(gatewayUrl + "/v1/chat/completions", body);
        if (job.stream()) {
            StreamWatcher watcher = new StreamWatcher();
            return http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(watcher))
                    .thenCompose(response -> watcher.done.thenApply(ignored -> streamed(response, watcher)));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(LoadClients::answered);
    }

    private static Outcome answered(HttpResponse<String> response) {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (Exception e) {
            return Outcome.failed("HTTP " + response.statusCode() + ", not JSON");
        }
        String status = body.at("/conclave/status").asText();
        if (response.statusCode() != 200 || !"complete".equals(status)) {
            String message = body.at("/error/message").asText(status);
            return Outcome.failed("HTTP " + response.statusCode() + " " + truncate(message));
        }
        return Outcome.ok(response.headers().firstValue("x-conclave-correlation-id").orElse(null), 0)
                .withOverheadMs(response.headers().firstValue("x-conclave-overhead-ms").map(Long::parseLong)
                        .orElse(-1L));
    }

    private static Outcome streamed(HttpResponse<Void> response, StreamWatcher watcher) {
        if (response.statusCode() != 200) {
            return Outcome.failed("HTTP " + response.statusCode() + " " + truncate(watcher.text.toString()));
        }
        if (!watcher.sawDone || watcher.firstContentNanos == 0) {
            return Outcome.failed("stream ended without content and [DONE]");
        }
        return Outcome.ok(response.headers().firstValue("x-conclave-correlation-id").orElse(null),
                watcher.firstContentNanos);
    }

    /**
     * The same job without the mesh: {@code agents} parallel calls to the simulator, then (unless instant or vote)
     * one synthesis call over their notes. A vote ends when {@code quorum} agents answered.
     */
    public CompletableFuture<Outcome> baseline(String simulatorUrl, Job job, int index) {
        String question = question(index);
        int quorum = "vote".equals(job.strategy()) ? job.agents() / 2 + 1 : job.agents();
        boolean synthesis = !job.instant() && !"vote".equals(job.strategy());
        List<CompletableFuture<String>> agents = new ArrayList<>();
        for (int a = 1; a <= job.agents(); a++) {
            agents.add(simCall(simulatorUrl, "You are agent a" + a + " of a panel. Reason step by step.", question));
        }
        CompletableFuture<List<String>> answers = firstOf(agents, quorum);
        if (!synthesis) {
            return answers.thenApply(ignored -> Outcome.ok(null, job.stream() ? System.nanoTime() : 0));
        }
        return answers.thenCompose(notes -> {
            StringBuilder prompt = new StringBuilder("Question: ").append(question).append("\n");
            for (int i = 0; i < notes.size(); i++) {
                String note = notes.get(i);
                prompt.append("Agent ").append(i + 1).append(": ").append(note, Math.max(0, note.length() - 300),
                        note.length()).append('\n');
            }
            if (!job.stream()) {
                return simCall(simulatorUrl, "You synthesize the panel's notes into one answer.", prompt.toString())
                        .thenApply(ignored -> Outcome.ok(null, 0));
            }
            StreamWatcher watcher = new StreamWatcher();
            return http.sendAsync(simRequest(simulatorUrl, "You synthesize the panel's notes into one answer.",
                            prompt.toString(), true), HttpResponse.BodyHandlers.fromLineSubscriber(watcher))
                    .thenCompose(response -> watcher.done.thenApply(ignored -> streamed(response, watcher)));
        });
    }

    /**
     * One call made without streaming, as the workers make a call whose tokens nobody watches (an agent's, or the
     * synthesis of a plain request); the raw body stands in for the agent's notes.
     */
    private CompletableFuture<String> simCall(String simulatorUrl, String system, String user) {
        return http.sendAsync(simRequest(simulatorUrl, system, user, false), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    if (response.statusCode() != 200 || !response.body().contains("\"choices\"")) {
                        throw new IllegalStateException("simulator HTTP " + response.statusCode());
                    }
                    return response.body();
                });
    }

    private static HttpRequest simRequest(String simulatorUrl, String system, String user, boolean stream) {
        ObjectNode body = JSON.createObjectNode().put("model", "sim-model").put("temperature", 0.7)
                .put("max_tokens", 1024).put("stream", stream);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        return post(simulatorUrl + "/v1/chat/completions", body);
    }

    /** Completes with the first {@code needed} answers, or fails once that many can no longer succeed. */
    private static CompletableFuture<List<String>> firstOf(List<CompletableFuture<String>> calls, int needed) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        List<String> answers = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (CompletableFuture<String> call : calls) {
            call.whenComplete((answer, failure) -> {
                synchronized (answers) {
                    if (failure != null) {
                        if (calls.size() - failures.incrementAndGet() < needed) {
                            result.completeExceptionally(failure);
                        }
                    } else {
                        answers.add(answer);
                        if (answers.size() == needed) {
                            result.complete(List.copyOf(answers));
                        }
                    }
                }
            });
        }
        return result;
    }

    private static HttpRequest post(String url, JsonNode body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private static String truncate(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "bench-http-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Reads an SSE body line by line: when the first content delta came, and whether {@code [DONE]} did. */
    private static final class StreamWatcher implements Flow.Subscriber<String> {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final StringBuilder text = new StringBuilder();
        volatile long firstContentNanos;
        volatile boolean sawDone;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("data:")) {
                String data = line.substring(5).trim();
                if (data.equals("[DONE]")) {
                    sawDone = true;
                } else if (firstContentNanos == 0 && data.contains("\"content\":\"") && !data.contains(
                        "\"content\":\"\"")) {
                    firstContentNanos = System.nanoTime();
                }
            } else if (text.length() < 500) {
                text.append(line);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            done.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }
}
