package io.conclave.worker.cancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CancelRegistryTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CancelRegistry registry = new CancelRegistry(meters, Clock.systemUTC());

    @Test
    void aCancellationAbortsTheRunningWorkAndCompletesWithTheCancelledOutcome() {
        AtomicBoolean upstreamCancelled = new AtomicBoolean();
        Uni<String> never = Uni.createFrom().<String>nothing().onCancellation().invoke(() -> upstreamCancelled.set(true));
        UniAssertSubscriber<String> run = registry.guard("c-1", never, reason -> "cancelled: " + reason)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        assertEquals(1, registry.running("c-1"));

        registry.cancel("c-1", "decided early");

        run.assertCompleted().assertItem("cancelled: decided early");
        assertTrue(upstreamCancelled.get(), "the LLM call's subscription was cancelled (its connection closed)");
        assertEquals(0, registry.running("c-1"));
        assertEquals(1.0, meters.counter("conclave.worker.calls.aborted").count());
    }

    @Test
    void otherRequestsAndFinishedWorkAreUntouched() {
        UniAssertSubscriber<String> other = registry.guard("c-2", Uni.createFrom().<String>nothing(), r -> "x")
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<String> done = registry.guard("c-1", Uni.createFrom().item("answer"), r -> "x")
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        registry.cancel("c-1", "client went away");
        done.assertItem("answer");
        other.assertNotTerminated();
        assertEquals(1, registry.running("c-2"));
    }

    @Test
    void aCancelledRequestIsRememberedSoQueuedSubtasksSkipAndLateGuardsStopAtOnce() {
        assertFalse(registry.cancelled("c-1").isPresent());
        registry.cancel("c-1", null);
        assertEquals("the request was cancelled", registry.cancelled("c-1").orElseThrow());
        registry.guard("c-1", Uni.createFrom().<String>nothing(), reason -> "skipped")
                .subscribe().withSubscriber(UniAssertSubscriber.create()).assertItem("skipped");
        registry.cancel("c-1", "again");
        assertEquals(1.0, meters.counter("conclave.worker.cancellations").count(), "counted once per request");
    }
}
