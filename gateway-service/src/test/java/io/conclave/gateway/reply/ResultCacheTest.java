package io.conclave.gateway.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.conclave.contracts.AgentReport;
import io.conclave.contracts.AgentStatus;
import io.conclave.contracts.Mode;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.TokenUsage;
import io.conclave.gateway.support.TestGatewayConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The kept results: deflated, bounded by those bytes with the newest kept, read back as they were offered, and gone
 * after the TTL.
 */
class ResultCacheTest {

    private static final int BUDGET = 64 * 1024;

    private final ResultCache cache = new ResultCache(
            TestGatewayConfigs.with(Map.of("conclave.gateway.results.cache-max-bytes", String.valueOf(BUDGET))),
            ResultListenerTest.MAPPER);

    @Test
    void smallResultsFillTheBudgetAndTheNewestStay() {
        List<RequestCompleted> offered = IntStream.range(0, 400)
                .mapToObj(i -> result("c-" + i, randomLetters(i, 300))).toList();
        offered.forEach(cache::offer);

        List<RequestCompleted> kept = offered.stream().filter(r -> cache.get(r.correlationId()).isPresent()).toList();
        assertTrue(keptBytes(kept) <= BUDGET, "kept " + keptBytes(kept) + " bytes");
        assertTrue(keptBytes(kept) > BUDGET / 2, "kept only " + keptBytes(kept) + " bytes: the budget is not used");
        offered.subList(offered.size() - 20, offered.size())
                .forEach(r -> assertTrue(cache.get(r.correlationId()).isPresent(), r.correlationId() + " was dropped"));
    }

    @Test
    void largeResultsAreFewerWithinTheSameBytes() {
        List<RequestCompleted> offered = IntStream.range(0, 20)
                .mapToObj(i -> result("c-" + i, randomLetters(i, 16 * 1024))).toList();
        offered.forEach(cache::offer);

        List<RequestCompleted> kept = offered.stream().filter(r -> cache.get(r.correlationId()).isPresent()).toList();
        int each = ResultCache.bytes("c-19", cache.write(offered.get(19)));
        assertTrue(each > 8 * 1024, "16 KB of random letters deflated to " + each + " bytes");
        assertTrue(kept.size() <= BUDGET / each, "kept " + kept.size() + " results of " + each + " bytes in 64 KB");
        assertTrue(keptBytes(kept) <= BUDGET, "kept " + keptBytes(kept) + " bytes");
        assertEquals(offered.get(offered.size() - 1), cache.get("c-19").orElseThrow(), "the newest stays");
    }

    @Test
    void agentsAnswersKeepInLessThanHalfTheirJsonAndReadBackAsOffered() throws JsonProcessingException {
        RequestCompleted result = withAgents("c-agents", 8);
        byte[] json = ResultListenerTest.MAPPER.writeValueAsBytes(result);

        byte[] deflated = cache.write(result);
        assertTrue(deflated.length < json.length / 2,
                "a result of " + json.length + " bytes of JSON kept in " + deflated.length);
        assertTrue(cache.offer(result));
        assertEquals(result, cache.get("c-agents").orElseThrow());
        assertFalse(cache.offer(withAgents("c-agents", 2)), "the first result per correlation ID wins");
        assertEquals(8, cache.get("c-agents").orElseThrow().agents().size());
    }

    @Test
    void resultsOlderThanTheTtlAreGone() {
        AtomicLong now = new AtomicLong();
        ResultCache timed = new ResultCache(
                TestGatewayConfigs.with(Map.of("conclave.gateway.results.cache-ttl", "10s")),
                ResultListenerTest.MAPPER, now::get);
        timed.offer(result("c-old", "first"));
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        timed.offer(result("c-new", "second"));
        now.addAndGet(Duration.ofSeconds(5).toNanos());

        assertTrue(timed.get("c-old").isEmpty(), "kept 11 s with a 10 s TTL");
        assertEquals("second", timed.get("c-new").orElseThrow().content());
        assertTrue(timed.offer(result("c-old", "again")), "an expired result no longer holds its correlation ID");
    }

    private long keptBytes(List<RequestCompleted> kept) {
        return kept.stream().mapToLong(r -> ResultCache.bytes(r.correlationId(), cache.write(r))).sum();
    }

    /** Letters at random: text that deflates little, so the bound is tested on bytes that do not shrink away. */
    private static String randomLetters(long seed, int length) {
        Random random = new Random(seed);
        StringBuilder letters = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        return letters.toString();
    }

    /** A contemplating result whose agents answer in English prose, each its own choice of sentences. */
    private static RequestCompleted withAgents(String correlationId, int count) {
        List<String> sentences = List.of("The premise holds only if the sample is representative of the population.",
                "Light of shorter wavelengths scatters more strongly off the molecules in the air.",
                "Checking the arithmetic again gives the same total, so the estimate stands.",
                "An alternative reading of the question would ask about the sunset instead.",
                "Weighing both options against the stated constraints, the second one is cheaper.",
                "Rayleigh scattering goes with the inverse fourth power of the wavelength.",
                "Our eyes are less sensitive to violet, which is why the sky does not look violet.",
                "Given those assumptions, the result follows from first principles.");
        Random random = new Random(correlationId.hashCode());
        List<AgentReport> agents = IntStream.range(0, count).mapToObj(i -> {
            StringBuilder answer = new StringBuilder();
            for (int s = 0; s < 12; s++) {
                answer.append(sentences.get(random.nextInt(sentences.size()))).append(' ');
            }
            return new AgentReport("a" + i, "role-" + i, "sim-model", AgentStatus.COMPLETE, 800L + i,
                    new TokenUsage(120, 180, 300), 180L, null, answer.append("Answer: 42").toString(), null);
        }).toList();
        return new RequestCompleted(correlationId, "e", Instant.parse("2026-11-23T10:15:30Z"), 1, "local",
                "conclave-contemplating", Mode.CONTEMPLATING, Strategy.SYNTHESIZE, RequestStatus.COMPLETE,
                "Short wavelengths scatter most. Answer: 42", null, agents, new TokenUsage(960, 1440, 2400), 900,
                Instant.parse("2026-11-23T10:15:29Z"));
    }

    private static RequestCompleted result(String correlationId, String content) {
        return new RequestCompleted(correlationId, "e", Instant.parse("2026-11-23T10:15:30Z"), 1, "local",
                "conclave-instant", Mode.INSTANT, Strategy.SINGLE, RequestStatus.COMPLETE, content, null, List.of(),
                null, 10, Instant.parse("2026-11-23T10:15:29Z"));
    }
}
