package io.conclave.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcurrencyGateTest {

    private final List<String> granted = new ArrayList<>();

    @Test
    void waitersAreServedInArrivalOrder() {
        ConcurrencyGate gate = new ConcurrencyGate(1);
        gate.acquire(() -> granted.add("a"));
        gate.acquire(() -> granted.add("b"));
        gate.acquire(() -> granted.add("c"));
        assertEquals(List.of("a"), granted);
        assertEquals(2, gate.waiting());

        gate.release();
        gate.release();
        assertEquals(List.of("a", "b", "c"), granted);
        assertEquals(1, gate.peakActive());
        assertEquals(2, gate.peakWaiting());
    }

    @Test
    void abandonedWaiterNeverGetsASlot() {
        ConcurrencyGate gate = new ConcurrencyGate(1);
        gate.acquire(() -> granted.add("a"));
        Runnable b = () -> granted.add("b");
        gate.acquire(b);
        gate.acquire(() -> granted.add("c"));

        assertTrue(gate.abandon(b));
        assertFalse(gate.abandon(b));
        gate.release();
        assertEquals(List.of("a", "c"), granted);
    }

    @Test
    void raisingTheLimitAdmitsWaitersAndZeroMeansUnlimited() {
        ConcurrencyGate gate = new ConcurrencyGate(1);
        for (String name : List.of("a", "b", "c", "d")) {
            gate.acquire(() -> granted.add(name));
        }
        gate.limit(3);
        assertEquals(List.of("a", "b", "c"), granted);
        gate.limit(0);
        assertEquals(4, gate.active());
        assertEquals(0, gate.waiting());
        assertEquals(4, gate.peakActive());

        gate.resetPeaks();
        assertEquals(4, gate.peakActive(), "a reset starts from what is running now");
    }
}
