package io.conclave.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conclave.bench.OpenLoad.Outcome;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two clients the benchmark compares at the same arrival rate: one asks the mesh's gateway, the other does the
 * same job straight against the simulator (N parallel calls, then one synthesis call) — the physical limit.
 */
public final class LoadClients implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_MS = 60_000;
    /** Connections per host: the load is open, so a queue in the mesh means as many requests in flight. */
    private static final int MAX_CONNECTIONS = 4096;

    /**
     * Vert.x's HTTP client on one event loop: the load generator shares the two cores with the mesh, so it should
     * take as little of them as it can. In the sustained minute at 100 rps the JDK's {@code java.net.http} client
     * used 12.7–13.9 s of CPU, this one 5.3–8.8 s (docs/benchmarks.md, round ten).
     */
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
            .setInternalBlockingPoolSize(1));
    private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000)
            .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));

    /** A reply read whole: its status, headers and body. */
    private record Reply(int status, MultiMap headers, String body) {
    }

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
        String url = gatewayUrl + "/v1/chat/completions";
        if (job.stream()) {
            return stream(url, body);
        }
        return post(url, body).thenApply(LoadClients::answered);
    }

    private static Outcome answered(Reply reply) {
        JsonNode body;
        try {
            body = JSON.readTree(reply.body());
        } catch (Exception e) {
            return Outcome.failed("HTTP " + reply.status() + ", not JSON");
        }
        String status = body.at("/conclave/status").asText();
        if (reply.status() != 200 || !"complete".equals(status)) {
            String message = body.at("/error/message").asText(status);
            return Outcome.failed("HTTP " + reply.status() + " " + truncate(message));
        }
        String overhead = reply.headers().get("x-conclave-overhead-ms");
        return Outcome.ok(reply.headers().get("x-conclave-correlation-id"), 0)
                .withOverheadMs(overhead == null ? -1L : Long.parseLong(overhead));
    }

    private static Outcome streamed(int status, MultiMap headers, StreamWatcher watcher) {
        if (status != 200) {
            return Outcome.failed("HTTP " + status + " " + truncate(watcher.text.toString()));
        }
        if (!watcher.sawDone || watcher.firstContentNanos == 0) {
            return Outcome.failed("stream ended without content and [DONE]");
        }
        return Outcome.ok(headers.get("x-conclave-correlation-id"), watcher.firstContentNanos);
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
            return stream(simulatorUrl + "/v1/chat/completions",
                    simBody("You synthesize the panel's notes into one answer.", prompt.toString(), true));
        });
    }

    /**
     * One call made without streaming, as the workers make a call whose tokens nobody watches (an agent's, or the
     * synthesis of a plain request); the raw body stands in for the agent's notes.
     */
    private CompletableFuture<String> simCall(String simulatorUrl, String system, String user) {
        return post(simulatorUrl + "/v1/chat/completions", simBody(system, user, false)).thenApply(reply -> {
            if (reply.status() != 200 || !reply.body().contains("\"choices\"")) {
                throw new IllegalStateException("simulator HTTP " + reply.status());
            }
            return reply.body();
        });
    }

    private static JsonNode simBody(String system, String user, boolean stream) {
        ObjectNode body = JSON.createObjectNode().put("model", "sim-model").put("temperature", 0.7)
                .put("max_tokens", 1024).put("stream", stream);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        return body;
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

    /** One POST, its reply read whole. */
    private CompletableFuture<Reply> post(String url, JsonNode body) {
        return send(url, body)
                .compose(response -> response.body().map(buffer -> new Reply(response.statusCode(),
                        response.headers(), buffer.toString())))
                .toCompletionStage().toCompletableFuture();
    }

    /** One POST whose reply is an SSE stream, read line by line: when the first content came, and the end. */
    private CompletableFuture<Outcome> stream(String url, JsonNode body) {
        return send(url, body).compose(response -> {
            StreamWatcher watcher = new StreamWatcher();
            response.handler(RecordParser.newDelimited("\n", line -> watcher.line(line.toString())));
            return response.end().map(ignored -> streamed(response.statusCode(), response.headers(), watcher));
        }).toCompletionStage().toCompletableFuture();
    }

    private Future<HttpClientResponse> send(String url, JsonNode body) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .setIdleTimeout(TIMEOUT_MS).putHeader("Content-Type", "application/json");
        return http.request(options).compose(request -> request.send(Buffer.buffer(body.toString())));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String truncate(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }

    /** Reads an SSE body line by line: when the first content delta came, and whether {@code [DONE]} did. */
    private static final class StreamWatcher {
        final StringBuilder text = new StringBuilder();
        long firstContentNanos;
        boolean sawDone;

        void line(String line) {
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
    }
}
