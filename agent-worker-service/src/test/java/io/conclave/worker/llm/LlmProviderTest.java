package io.conclave.worker.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.TokenUsage;
import io.conclave.simulator.LlmSimulator;
import io.conclave.simulator.SimulatorConfig;
import io.conclave.worker.SimulatorControl;
import io.conclave.worker.compress.AnswerExtractor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider layer against the project's LLM simulator, started in-process on a free port. */
class LlmProviderTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static LlmSimulator simulator;
    private static SimulatorControl control;
    private static Vertx vertx;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<LlmProvider> providers = new ArrayList<>();
    private SimpleMeterRegistry meters;

    @BeforeAll
    static void startSimulator() {
        simulator = LlmSimulator.start(SimulatorConfig.builder().port(0).ttftMs(20).tokenMs(1).tokens(40).build());
        control = new SimulatorControl(simulator);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopSimulator() {
        vertx.closeAndAwait();
        simulator.close();
    }

    @BeforeEach
    void resetSimulator() {
        control.configure("{\"ttft_ms\":20,\"token_ms\":1,\"tokens\":40,\"fail_next\":[],\"retry_after_s\":1}");
        control.reset();
        meters = new SimpleMeterRegistry();
    }

    @AfterEach
    void closeProviders() {
        providers.forEach(LlmProvider::close);
    }

    @Test
    void streamsWithTheModelTemperatureAndMaxTokensOfEachRequest() {
        LlmProvider provider = provider(simulator.baseUrl(), 2);

        List<ChatChunk> full = provider.stream(question("model-a", 0.7, null), in(10_000))
                .collect().asList().await().atMost(WAIT);
        List<ChatChunk> capped = provider.stream(question("model-b", 1.3, 10), in(10_000))
                .collect().asList().await().atMost(WAIT);

        String text = text(full);
        assertTrue(AnswerExtractor.answerLine(text).isPresent(), "ends with an Answer line: " + text);
        assertEquals("stop", finishReason(full));
        assertEquals(40, usage(full).completionTokens());
        assertTrue(usage(full).promptTokens() > 0);
        assertEquals("length", finishReason(capped));
        assertEquals(10, usage(capped).completionTokens());
        assertTrue(full.size() > 10, "streamed as many chunks, not one body: " + full.size());

        JsonNode recent = control.stats().path("recent");
        assertEquals("model-a", recent.path(0).path("model").asText());
        assertEquals(0.7, recent.path(0).path("temperature").asDouble());
        assertEquals(40, recent.path(0).path("completionTokens").asInt());
        assertEquals("model-b", recent.path(1).path("model").asText());
        assertEquals(1.3, recent.path(1).path("temperature").asDouble());
        assertEquals(10, recent.path(1).path("completionTokens").asInt());
        assertEquals(2.0, meters.counter(LlmProvider.CALLS_METRIC, "provider", "default", "result", "success")
                .count());
    }

    @Test
    void aCallNobodyWatchesGetsTheWholeAnswerInOneBody() {
        List<ChatChunk> chunks = provider(simulator.baseUrl(), 2).stream(unwatched(question("model-a", 0.7, null)),
                in(10_000)).collect().asList().await().atMost(WAIT);

        assertEquals(1, chunks.size(), "one body, not a chunk per token: " + chunks);
        ChatChunk whole = chunks.get(0);
        assertTrue(AnswerExtractor.answerLine(whole.content()).isPresent(), "ends with an Answer line: " + whole);
        assertEquals("stop", whole.finishReason());
        assertEquals(40, whole.usage().completionTokens());
        JsonNode call = control.stats().path("recent").path(0);
        assertEquals("model-a", call.path("model").asText());
        assertEquals(40, call.path("completionTokens").asInt());
        assertEquals(1.0, meters.counter(LlmProvider.CALLS_METRIC, "provider", "default", "result", "success")
                .count());
    }

    @Test
    void aProviderSetToAlwaysStreamStreamsACallNobodyWatches() {
        List<ChatChunk> chunks = provider(simulator.baseUrl(), 2, Duration.ofSeconds(10), true)
                .stream(unwatched(question(null, null, null)), in(10_000)).collect().asList().await().atMost(WAIT);

        assertTrue(chunks.size() > 10, "streamed as many chunks, not one body: " + chunks.size());
        assertEquals(40, usage(chunks).completionTokens());
    }

    @Test
    void theDeadlineOfACallNobodyWatchesClosesTheConnection() {
        control.configure("{\"ttft_ms\":3000}");

        LlmCallException error = assertThrows(LlmCallException.class, () -> provider(simulator.baseUrl(), 2)
                .stream(unwatched(question(null, null, null)), in(400)).collect().asList().await().atMost(WAIT));

        assertEquals(LlmCallException.Kind.TIMEOUT, error.kind());
        assertEquals(1, control.awaitStats(s -> s.path("cancelled").asInt() == 1).path("cancelled").asInt());
        assertEquals(0, control.stats().path("completed").asInt());
    }

    @Test
    void withoutAModelTheProvidersDefaultIsAsked() {
        provider(simulator.baseUrl(), 0).stream(question(null, null, null), null)
                .collect().asList().await().atMost(WAIT);
        JsonNode call = control.stats().path("recent").path(0);
        assertEquals("sim-model", call.path("model").asText());
        assertTrue(call.path("temperature").isNull(), "no temperature sent: " + call);
    }

    @Test
    void cancellingMidStreamClosesTheConnection() {
        control.configure("{\"token_ms\":50,\"tokens\":200}");
        List<ChatChunk> firstThree = provider(simulator.baseUrl(), 2).stream(question(null, 0.2, null), in(10_000))
                .select().first(3).collect().asList().await().atMost(WAIT);

        assertEquals(3, firstThree.size());
        JsonNode stats = control.awaitStats(s -> s.path("cancelled").asInt() == 1);
        assertEquals(1, stats.path("cancelled").asInt(), stats.toString());
        assertEquals(0, stats.path("completed").asInt());
        assertEquals(1.0, meters.counter(LlmProvider.CALLS_METRIC, "provider", "default", "result", "cancelled")
                .count());
    }

    @Test
    void cancellingBeforeTheFirstTokenClosesTheConnection() {
        control.configure("{\"ttft_ms\":5000}");
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Cancellable call = provider(simulator.baseUrl(), 2).stream(question(null, 0.2, null), in(10_000))
                .subscribe().with(chunk -> { }, failures::add);
        control.awaitStats(s -> s.path("inFlight").asInt() == 1);

        call.cancel();

        JsonNode stats = control.awaitStats(s -> s.path("cancelled").asInt() == 1);
        assertEquals(1, stats.path("cancelled").asInt(), stats.toString());
        assertEquals(List.of(), failures);
    }

    @Test
    void aRateLimitIsSurfacedWithItsRetryAfter() {
        control.configure("{\"fail_next\":[429],\"retry_after_s\":2}");

        LlmCallException error = assertThrows(LlmCallException.class, () -> provider(simulator.baseUrl(), 0)
                .stream(question(null, null, null), in(10_000)).collect().asList().await().atMost(WAIT));

        assertEquals(429, error.status());
        assertEquals(Duration.ofSeconds(2), error.retryAfter());
        assertEquals(1, error.attempts());
        assertTrue(error.upstreamMessage().startsWith("Rate limit reached"), error.upstreamMessage());
        assertEquals("provider default returned 429 after 1 attempt: " + error.upstreamMessage(), error.reason());
        assertEquals(1.0, meters.counter(LlmProvider.CALLS_METRIC, "provider", "default", "result", "rate_limited")
                .count());
    }

    @Test
    void aRateLimitIsRetriedAfterItsRetryAfter() {
        control.configure("{\"fail_next\":[429],\"retry_after_s\":1}");
        long start = System.nanoTime();

        List<ChatChunk> chunks = provider(simulator.baseUrl(), 2).stream(question(null, null, null), in(10_000))
                .collect().asList().await().atMost(WAIT);

        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs >= 1000, "waited for Retry-After: " + elapsedMs + " ms");
        assertEquals(40, usage(chunks).completionTokens());
        JsonNode stats = control.stats();
        assertEquals(1, stats.path("errors429").asInt());
        assertEquals(1, stats.path("completed").asInt());
    }

    @Test
    void serverErrorsAfterEveryRetryBecomeAReason() {
        control.configure("{\"fail_next\":[500,500,500]}");

        LlmCallException error = assertThrows(LlmCallException.class, () -> provider(simulator.baseUrl(), 2)
                .stream(question(null, null, null), in(10_000)).collect().asList().await().atMost(WAIT));

        assertEquals(3, error.attempts());
        assertEquals("provider default returned 500 after 3 attempts: "
                + "The server had an error while processing your request (simulated).", error.reason());
        assertEquals(3, control.stats().path("errors500").asInt());
        assertEquals(3.0, meters.counter(LlmProvider.CALLS_METRIC, "provider", "default", "result", "server_error")
                .count());
    }

    @Test
    void aServerErrorFollowedBySuccessIsRetriedTransparently() {
        control.configure("{\"fail_next\":[500,500]}");
        List<ChatChunk> chunks = provider(simulator.baseUrl(), 2).stream(question(null, null, null), in(10_000))
                .collect().asList().await().atMost(WAIT);
        assertEquals(40, usage(chunks).completionTokens());
        assertEquals(2, control.stats().path("errors500").asInt());
    }

    @Test
    void theDeadlineShortensTheCallsTimeoutAndClosesTheConnection() {
        control.configure("{\"ttft_ms\":3000}");
        long start = System.nanoTime();

        LlmCallException error = assertThrows(LlmCallException.class, () -> provider(simulator.baseUrl(), 2)
                .stream(question(null, null, null), in(400)).collect().asList().await().atMost(WAIT));

        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(LlmCallException.Kind.TIMEOUT, error.kind());
        assertTrue(error.reason().startsWith("provider default gave no complete answer within "), error.reason());
        assertTrue(error.reason().endsWith("(the sub-task's deadline) on attempt 1"), error.reason());
        assertTrue(elapsedMs >= 300 && elapsedMs < 2000, "ended at the deadline: " + elapsedMs + " ms");
        assertEquals(1, control.awaitStats(s -> s.path("cancelled").asInt() == 1).path("cancelled").asInt());
        assertEquals(1, control.stats().path("calls").asInt(), "a timeout is not retried");
    }

    @Test
    void theProviderTimeoutAppliesWhenTheDeadlineIsFurther() {
        control.configure("{\"ttft_ms\":3000}");
        LlmProvider provider = provider(simulator.baseUrl(), 0, Duration.ofMillis(300));

        LlmCallException error = assertThrows(LlmCallException.class, () -> provider
                .stream(question(null, null, null), in(60_000)).collect().asList().await().atMost(WAIT));

        assertTrue(error.reason().contains("within 300 ms (the provider timeout)"), error.reason());
    }

    @Test
    void aRetryAfterBeyondTheDeadlineFailsAtOnce() {
        control.configure("{\"fail_next\":[429],\"retry_after_s\":5}");
        long start = System.nanoTime();

        LlmCallException error = assertThrows(LlmCallException.class, () -> provider(simulator.baseUrl(), 2)
                .stream(question(null, null, null), in(2_000)).collect().asList().await().atMost(WAIT));

        assertTrue((System.nanoTime() - start) / 1_000_000 < 1000, "did not wait for a retry it could not use");
        assertTrue(error.reason().startsWith("provider default returned 429 after 1 attempt "
                + "(its Retry-After of 5 s ends after the deadline): Rate limit reached"), error.reason());
        assertEquals(1, control.stats().path("calls").asInt());
    }

    @Test
    void aPassedDeadlineMakesNoCall() {
        LlmCallException error = assertThrows(LlmCallException.class, () -> provider(simulator.baseUrl(), 2)
                .stream(question(null, null, null), Instant.now().minusSeconds(1)).collect().asList().await()
                .atMost(WAIT));
        assertEquals(LlmCallException.Kind.TIMEOUT, error.kind());
        assertEquals(0, control.stats().path("calls").asInt());
    }

    @Test
    void anUnreachableProviderFailsAfterItsRetries() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        LlmCallException error = assertThrows(LlmCallException.class, () -> provider(
                "http://127.0.0.1:" + closedPort + "/v1", 2).stream(question(null, null, null), in(10_000))
                .collect().asList().await().atMost(WAIT));

        assertEquals(LlmCallException.Kind.CONNECTION, error.kind());
        assertEquals(3, error.attempts());
        assertTrue(error.reason().startsWith("provider default could not be reached after 3 attempts: "),
                error.reason());
    }

    @Test
    void aBadRequestIsNotRetried() {
        LlmCallException error = assertThrows(LlmCallException.class, () -> provider(simulator.baseUrl(), 2)
                .stream(question(null, 3.5, null), in(10_000)).collect().asList().await().atMost(WAIT));
        assertEquals(400, error.status());
        assertEquals(1, error.attempts());
        assertTrue(error.reason().contains("temperature"), error.reason());
    }

    private LlmProvider provider(String baseUrl, int maxRetries) {
        return provider(baseUrl, maxRetries, Duration.ofSeconds(10));
    }

    private LlmProvider provider(String baseUrl, int maxRetries, Duration timeout) {
        return provider(baseUrl, maxRetries, timeout, false);
    }

    private LlmProvider provider(String baseUrl, int maxRetries, Duration timeout, boolean alwaysStream) {
        ProviderSettings settings = ProviderSettings.of("default", baseUrl, null, "sim-model", 8, timeout,
                Duration.ofSeconds(2), alwaysStream);
        LlmProvider provider = new LlmProvider(new OpenAiChatClient(vertx, mapper, Clock.systemUTC(), settings),
                new RetryPolicy(maxRetries, Duration.ofMillis(20), Duration.ofMillis(200)), vertx, Clock.systemUTC(),
                meters, new Random(3));
        providers.add(provider);
        return provider;
    }

    private static LlmRequest question(String model, Double temperature, Integer maxTokens) {
        return new LlmRequest(model, List.of(new ChatMessage("system", "You are a careful solver."),
                new ChatMessage("user", "What is 6 times 7?")), temperature, maxTokens);
    }

    private static LlmRequest unwatched(LlmRequest request) {
        return new LlmRequest(request.model(), request.messages(), request.temperature(), request.maxTokens(),
                request.tools(), request.toolsRefused(), false);
    }

    private static Instant in(long millis) {
        return Instant.now().plusMillis(millis);
    }

    private static String text(List<ChatChunk> chunks) {
        return chunks.stream().map(ChatChunk::content).collect(Collectors.joining());
    }

    private static String finishReason(List<ChatChunk> chunks) {
        return chunks.stream().map(ChatChunk::finishReason).filter(r -> r != null).reduce((a, b) -> b).orElse(null);
    }

    private static TokenUsage usage(List<ChatChunk> chunks) {
        TokenUsage usage = chunks.stream().map(ChatChunk::usage).filter(u -> u != null).reduce((a, b) -> b)
                .orElse(null);
        assertNotNull(usage, "the stream ended with a usage chunk");
        return usage;
    }
}
