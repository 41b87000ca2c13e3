package io.conclave.gateway.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.Mode;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.Strategy;
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
    private final ResultCache cache = new ResultCache(TestGatewayConfigs.with(Map.of()));
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
        assertSame(first, cache.get("c-1").orElseThrow());
        assertEquals(1.0, registry.get("conclave.results.duplicates").counter().count());
    }

    @Test
    void aResultNobodyWaitsForHereIsKept() {
        RequestCompleted result = PendingRepliesTest.result("c-elsewhere");
        listener.onResult(result).subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted();
        assertSame(result, cache.get("c-elsewhere").orElseThrow());
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
    void theCacheIsBounded() {
        ResultCache small = new ResultCache(TestGatewayConfigs.with(Map.of("conclave.gateway.results.cache-size", "10")));
        for (int i = 0; i < 200; i++) {
            small.offer(PendingRepliesTest.result("c-" + i));
        }
        long kept = java.util.stream.IntStream.range(0, 200).filter(i -> small.get("c-" + i).isPresent()).count();
        assertTrue(kept <= 10, "kept " + kept);
    }
}
