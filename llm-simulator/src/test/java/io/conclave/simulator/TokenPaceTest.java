package io.conclave.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Tokens keep the model's own pace: token i is due at the first token's due time (the slot's grant + ttft) + i *
 * token_ms, however late the timers fire, streamed or not.
 */
class TokenPaceTest {

    private static final long MS = 1_000_000L;
    private static final long START = 5_000 * MS;

    @Test
    void onTimeWaitsOneTokenInterval() {
        assertEquals(2, ChatCall.delayMs(START, 2, 1, START));
        assertEquals(2, ChatCall.delayMs(START, 2, 10, START + 18 * MS));
    }

    @Test
    void aLateTimerShortensTheNextWait() {
        // Token 5 is due at 10 ms; the timer for token 4 fired at 9.5 ms instead of 8 ms.
        assertEquals(1, ChatCall.delayMs(START, 2, 5, START + 9 * MS + MS / 2));
    }

    @Test
    void aLateFirstTokenShortensTheWaitForAWholeAnswer() {
        // Not streamed, 64 tokens at 2 ms are due 128 ms after the first token's due time; its timer fired 3 ms late.
        assertEquals(125, ChatCall.delayMs(START, 2, 64, START + 3 * MS));
    }

    @Test
    void overdueTokensGoOutAtOnce() {
        // On a machine that stalled for 30 ms, tokens 2 to 15 are all due: no wait for any of them.
        for (int i = 2; i <= 15; i++) {
            assertEquals(0, ChatCall.delayMs(START, 2, i, START + 30 * MS), "token " + i);
        }
        assertEquals(2, ChatCall.delayMs(START, 2, 16, START + 30 * MS));
    }

    @Test
    void neverFiresEarly() {
        // 0.1 ms before the due time still waits a whole millisecond (Vert.x timers count in milliseconds).
        assertEquals(1, ChatCall.delayMs(START, 2, 3, START + 6 * MS - MS / 10));
    }
}
