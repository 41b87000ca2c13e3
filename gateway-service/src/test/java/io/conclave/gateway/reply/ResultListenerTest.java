package io.conclave.gateway.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.conclave.contracts.AgentReport;
import io.conclave.contracts.AgentStatus;
import io.conclave.contracts.Mode;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.Strategy;
import io.conclave.contracts.TokenUsage;
import io.conclave.gateway.support.TestGatewayConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The results consumer: first result wins, repeats are counted and dropped, unusable records fail. */
class ResultListenerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PendingReplies pending = new PendingReplies();
    /** As Quarkus configures its mapper: java.time types as ISO-8601 strings. */
    static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private final ResultCache cache = new ResultCache(TestGatewayConfigs.with(Map.of()), MAPPER);
    private final ResultListener listener = new ResultListener(cache, pending, new io.conclave.gateway.progress.ProgressHub(),
            new io.conclave.gateway.requests.OpenRequests(), registry);

    @Test
    void theFirstResultAnswersAndRepeatsAreDropped() {
        UniAssertSubscriber<RequestCompleted> call = pending.register("c-1").result(Duration.ofSeconds(5))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        RequestCompleted first = PendingRepliesTest.result("c-1");
        RequestCompleted repeat = PendingRepliesTest.result("c-1");

        listener.onResult(first).subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted();
        listener.onResult(repeat).subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted();

        assertSame(first, call.assertCompleted().getItem());
        assertEquals(first, cache.get("c-1").orElseThrow());
        assertEquals(1.0, registry.get("conclave.results.duplicates").counter().count());
    }

    @Test
    void aResultNobodyWaitsForHereIsKept() {
        RequestCompleted result = PendingRepliesTest.result("c-elsewhere");
        listener.onResult(result).subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted();
        assertEquals(result, cache.get("c-elsewhere").orElseThrow());
    }

    @Test
    void anUnusableRecordFailsSoItIsDeadLettered() {
        listener.onResult(null).subscribe().withSubscriber(UniAssertSubscriber.create())
                .assertFailedWith(IllegalArgumentException.class);
        RequestCompleted noStatus = new RequestCompleted("c-1", "e", Instant.now(), 1, "local", "conclave-instant",
                Mode.INSTANT, Strategy.SINGLE, null, "hi", null, List.of(), null, 0, Instant.now());
        listener.onResult(noStatus).subscribe().withSubscriber(UniAssertSubscriber.create())
                .assertFailedWith(IllegalArgumentException.class);
    }

    @Test
    void aKeptResultReadsBackWhole() {
        List<AgentReport> agents = List.of(
                new AgentReport("a1", "analyst", "sim-model", AgentStatus.COMPLETE, 812L, new TokenUsage(20, 64, 84),
                        64L, 9L, "42", null),
                new AgentReport("a2", "skeptic", "sim-model", AgentStatus.FAILED, null, null, null, null, null,
                        "upstream 500"));
        RequestCompleted result = new RequestCompleted("c-whole", "e-1",
                Instant.parse("2026-11-23T10:15:30.123456789Z"), 1, "tenant-a", "conclave-contemplating",
                Mode.CONTEMPLATING, Strategy.SYNTHESIZE, RequestStatus.COMPLETE, "Answer: 42", null, agents,
                new TokenUsage(60, 128, 188), 1500, Instant.parse("2026-11-23T10:15:29Z"), 2, List.of("q1"),
                "a note", null);
        assertTrue(cache.offer(result));
        assertEquals(result, cache.get("c-whole").orElseThrow());
        assertTrue(cache.get("c-unknown").isEmpty());
        assertFalse(cache.offer(PendingRepliesTest.result("c-whole")), "the first result per correlation ID wins");
        assertEquals(result, cache.get("c-whole").orElseThrow());
    }
}
