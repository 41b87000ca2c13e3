package io.conclave.gateway.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.conclave.contracts.Mode;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.Strategy;
import io.conclave.gateway.support.TestGatewayConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The kept results: bounded by the bytes of their JSON with the newest kept, and gone after the TTL. */
class ResultCacheTest {

    private static final int BUDGET = 64 * 1024;

    private final ResultCache cache = new ResultCache(
            TestGatewayConfigs.with(Map.of("conclave.gateway.results.cache-max-bytes", String.valueOf(BUDGET))),
            ResultListenerTest.MAPPER);

    @Test
    void smallResultsFillTheBudgetAndTheNewestStay() throws JsonProcessingException {
        List<RequestCompleted> offered = IntStream.range(0, 400).mapToObj(i -> result("c-" + i, "short")).toList();
        offered.forEach(cache::offer);

        List<RequestCompleted> kept = offered.stream().filter(r -> cache.get(r.correlationId()).isPresent()).toList();
        assertTrue(keptBytes(kept) <= BUDGET, "kept " + keptBytes(kept) + " bytes");
        assertTrue(keptBytes(kept) > BUDGET / 2, "kept only " + keptBytes(kept) + " bytes: the budget is not used");
        offered.subList(offered.size() - 20, offered.size())
                .forEach(r -> assertTrue(cache.get(r.correlationId()).isPresent(), r.correlationId() + " was dropped"));
    }

    @Test
    void largeResultsAreFewerWithinTheSameBytes() throws JsonProcessingException {
        String answer = "x".repeat(16 * 1024);
        List<RequestCompleted> offered = IntStream.range(0, 20).mapToObj(i -> result("c-" + i, answer)).toList();
        offered.forEach(cache::offer);

        List<RequestCompleted> kept = offered.stream().filter(r -> cache.get(r.correlationId()).isPresent()).toList();
        assertTrue(kept.size() <= BUDGET / (16 * 1024), "kept " + kept.size() + " results of 16 KB in 64 KB");
        assertTrue(keptBytes(kept) <= BUDGET, "kept " + keptBytes(kept) + " bytes");
        assertEquals(offered.get(offered.size() - 1), cache.get("c-19").orElseThrow(), "the newest stays");
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

    private static long keptBytes(List<RequestCompleted> kept) throws JsonProcessingException {
        long bytes = 0;
        for (RequestCompleted result : kept) {
            bytes += ResultCache.bytes(result.correlationId(), ResultListenerTest.MAPPER.writeValueAsBytes(result));
        }
        return bytes;
    }

    private static RequestCompleted result(String correlationId, String content) {
        return new RequestCompleted(correlationId, "e", Instant.parse("2026-11-23T10:15:30Z"), 1, "local",
                "conclave-instant", Mode.INSTANT, Strategy.SINGLE, RequestStatus.COMPLETE, content, null, List.of(),
                null, 10, Instant.parse("2026-11-23T10:15:29Z"));
    }
}
