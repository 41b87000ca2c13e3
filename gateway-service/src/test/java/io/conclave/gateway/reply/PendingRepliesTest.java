package io.conclave.gateway.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.Mode;
import io.conclave.contracts.RequestCompleted;
import io.conclave.contracts.RequestStatus;
import io.conclave.contracts.Strategy;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Waiting calls are answered, time out, or go away, and are always forgotten afterwards. */
class PendingRepliesTest {

    private final PendingReplies replies = new PendingReplies();

    @Test
    void aResultAnswersItsCall() {
        PendingReplies.Pending pending = replies.register("c-1");
        UniAssertSubscriber<RequestCompleted> call = pending.result(Duration.ofSeconds(5))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        call.assertNotTerminated();

        RequestCompleted result = result("c-1");
        assertTrue(replies.complete(result));

        assertSame(result, call.assertCompleted().getItem());
        assertEquals(0, replies.size());
    }

    @Test
    void aResultThatCameBeforeTheSubscriptionIsNotLost() {
        PendingReplies.Pending pending = replies.register("c-1");
        assertTrue(replies.complete(result("c-1")));
        pending.result(Duration.ofSeconds(5)).subscribe().withSubscriber(UniAssertSubscriber.create())
                .assertCompleted();
    }

    @Test
    void noResultInTimeFailsTheCallAndForgetsIt() {
        PendingReplies.Pending pending = replies.register("c-1");
        UniAssertSubscriber<RequestCompleted> call = pending.result(Duration.ofMillis(50))
                .subscribe().withSubscriber(UniAssertSubscriber.create());

        call.awaitFailure(Duration.ofSeconds(5)).assertFailedWith(ReplyTimeoutException.class, "c-1");
        assertEquals(0, replies.size());
        assertFalse(replies.complete(result("c-1")), "nobody waits any more");
    }

    @Test
    void aCallThatGoesAwayIsForgotten() {
        PendingReplies.Pending pending = replies.register("c-1");
        UniAssertSubscriber<RequestCompleted> call = pending.result(Duration.ofSeconds(5))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        call.cancel();
        assertEquals(0, replies.size());
    }

    @Test
    void aCancelledRegistrationIsForgotten() {
        replies.register("c-1").cancel();
        assertEquals(0, replies.size());
        assertFalse(replies.complete(result("c-1")));
    }

    @Test
    void aResultForNobodyHereIsNotAnError() {
        assertFalse(replies.complete(result("elsewhere")));
    }

    @Test
    void aCorrelationIdWaitsOnce() {
        replies.register("c-1");
        assertThrows(IllegalStateException.class, () -> replies.register("c-1"));
    }

    static RequestCompleted result(String correlationId) {
        return new RequestCompleted(correlationId, "e", Instant.now(), 1, "local", "conclave-instant", Mode.INSTANT,
                Strategy.SINGLE, RequestStatus.COMPLETE, "hi", null, List.of(), null, 10, Instant.now());
    }
}
