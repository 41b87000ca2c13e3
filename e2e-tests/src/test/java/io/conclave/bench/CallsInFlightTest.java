package io.conclave.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.conclave.bench.CallsInFlight.Reading;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallsInFlightTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void eachWindowGetsTheMostInFlightOfItsReadings() {
        long start = 100 * SECOND;
        List<Reading> readings = List.of(
                new Reading(start - SECOND, 500),          // before the run: not counted
                new Reading(start, 10),
                new Reading(start + 4 * SECOND, 160),
                new Reading(start + 5 * SECOND - 1, 30),
                new Reading(start + 5 * SECOND, 40),      // the second window starts here
                new Reading(start + 7 * SECOND, -1),      // a failed reading: not a count
                new Reading(start + 16 * SECOND, 999));   // past the last window
        assertArrayEquals(new int[] {160, 40, -1}, CallsInFlight.peaks(readings, start, Duration.ofSeconds(5), 3));
    }
}
