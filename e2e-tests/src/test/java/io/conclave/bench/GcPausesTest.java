package io.conclave.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading pauses from the logs the harness has the JVMs write, and placing them on the slowest requests' paths. */
class GcPausesTest {

    private static final long T0 = Instant.parse("2026-11-24T22:53:35.000Z").toEpochMilli();

    @Test
    void readsEachPauseOfSerialAndG1LogsAsTheStretchBeforeItsLineAndNothingElse() {
        List<GcPauses.Pause> pauses = GcPauses.parse(List.of(
                "[2026-11-24T22:53:35.000+0000] Using Serial",
                "[2026-11-24T22:53:35.869+0000] GC(42) Pause Young (Allocation Failure) 95M->61M(123M) 16.092ms",
                "[2026-11-24T22:53:36.000+0000] GC(43) Pause Young (Normal) (G1 Evacuation Pause)",
                "[2026-11-24T22:53:36.021+0000] GC(43) Pause Young (Normal) (G1 Evacuation Pause) 176M->82M(203M) "
                        + "21.227ms",
                "[2026-11-24T22:53:37.000+0000] GC(44) Concurrent Mark Cycle 35.123ms",
                "[2026-11-24T23:53:37.500+0100] GC(45) Pause Full (Metadata GC Threshold) 12M->8M(31M) 89.502ms",
                "[22.578s] GC(46) Pause Young (Allocation Failure) 8M->2M(30M) 82.939ms"));

        assertEquals(List.of(new GcPauses.Pause(T0 + 853, T0 + 869), new GcPauses.Pause(T0 + 1_000, T0 + 1_021),
                new GcPauses.Pause(T0 + 2_410, T0 + 2_500)), pauses);
    }

    @Test
    void theLoadGeneratorLogsItsOwnPausesOnceAskedTo(@TempDir Path dir) throws Exception {
        long before = System.currentTimeMillis();
        GcPauses.logThisJvm(dir);
        System.gc();
        long after = System.currentTimeMillis();

        long pid = ProcessHandle.current().pid();
        List<GcPauses.Pause> pauses = GcPauses.read(dir, Map.of("load", pid)).get("load");
        assertFalse(pauses.isEmpty(), "System.gc() paused this JVM, and its log says so");
        for (GcPauses.Pause pause : pauses) {
            // placed on the wall clock (the log's stamps carry their zone), within the millisecond of its rounding
            assertTrue(pause.endMs() >= before - 1 && pause.endMs() <= after + 1, pause + " not in " + before + "-"
                    + after);
        }
    }

    @Test
    void countsAProcessForARequestOnlyWhenOneOfItsPausesMeetsOneOfTheRequestsLegs() {
        Map<String, Long> ownMs = new LinkedHashMap<>();
        Map<String, List<long[]>> legs = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            ownMs.put("r" + i, 10L + i);
            long start = T0 + i * 1_000L;
            legs.put("r" + i, List.of(new long[] {start, start + 5}, new long[] {start + 600, start + 610}));
        }
        // The broker paused during the second leg of r99 (the slowest) and between the legs of r98; the gateway
        // during the first leg of r10, one of the others.
        Map<String, List<GcPauses.Pause>> pauses = new LinkedHashMap<>();
        pauses.put("kafka", List.of(new GcPauses.Pause(T0 + 99_605, T0 + 99_620),
                new GcPauses.Pause(T0 + 98_100, T0 + 98_200)));
        pauses.put("gw", List.of(new GcPauses.Pause(T0 + 10_000, T0 + 10_001)));

        String text = GcPauses.onSlowest(0.02, ownMs, legs, pauses);

        assertTrue(text.startsWith("the 2 requests with the most own time (2% of 100, at least 108 ms): a pause of "
                + "kafka 1 (50.0%), gw 0 (0.0%); none 1 (50.0%); of all 100: a pause of kafka 1 (1.0%), gw 1 (1.0%); "
                + "none 98 (98.0%). Of those 2, 0 had their longest stretch at the same time as another of them"),
                text);
    }

    @Test
    void countsTheRequestsWhoseLongestStretchesOverlapAsOneStall() {
        Map<String, List<long[]>> legs = Map.of(
                "a", List.of(new long[] {0, 5}, new long[] {100, 160}),
                "b", List.of(new long[] {140, 200}, new long[] {600, 605}),
                "c", List.of(new long[] {150, 155}, new long[] {900, 990}));

        // a's longest (100-160) meets b's (140-200); c's longest (900-990) meets neither, though its short one does.
        assertEquals(2, GcPauses.sharingAStall(List.of("a", "b", "c"), legs));
    }
}
