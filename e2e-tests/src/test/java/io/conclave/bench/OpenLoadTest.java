package io.conclave.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The benchmark's own logic, in milliseconds: the open-model schedule, percentiles and /proc parsing. */
class OpenLoadTest {

    @Test
    void scheduleIsConstantRateFromTheStart() {
        assertEquals(0, OpenLoad.intendedOffsetNanos(0, 20));
        assertEquals(50_000_000, OpenLoad.intendedOffsetNanos(1, 20));
        assertEquals(1_000_000_000, OpenLoad.intendedOffsetNanos(20, 20));
        assertEquals(333_333_333, OpenLoad.intendedOffsetNanos(1, 3));
        assertEquals(2400, OpenLoad.requestCount(20, Duration.ofMinutes(2)));
    }

    @Test
    void latencyCountsFromTheIntendedTimeSoASlowServerShowsItsQueue() throws Exception {
        // A "server" that answers one request at a time in 30 ms, offered 100 rps: the later requests queue.
        ScheduledExecutorService server = Executors.newSingleThreadScheduledExecutor();
        long[] freeAt = {0};
        try {
            OpenLoad.Run run = OpenLoad.run(100, Duration.ofMillis(200), Duration.ofSeconds(5), i -> {
                CompletableFuture<OpenLoad.Outcome> reply = new CompletableFuture<>();
                synchronized (freeAt) {
                    long start = Math.max(System.nanoTime(), freeAt[0]);
                    freeAt[0] = start + TimeUnit.MILLISECONDS.toNanos(30);
                    server.schedule(() -> reply.complete(OpenLoad.Outcome.ok("c" + i, 0)),
                            freeAt[0] - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
                return reply;
            });
            assertEquals(20, run.samples().size());
            assertEquals(0, run.errorCount());
            Percentiles latency = Percentiles.ofNanos(run.latencies(true));
            // The last request waits for 19 others (570 ms) minus its 190 ms offset: ~410 ms, not 30 ms.
            assertTrue(latency.max() > 350, "queueing must show: " + latency);
            assertTrue(latency.p50() > 100, "queueing must show: " + latency);
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void unansweredRequestsAreErrorsAfterTheDrain() throws Exception {
        OpenLoad.Run run = OpenLoad.run(50, Duration.ofMillis(100), Duration.ofMillis(50),
                i -> i % 2 == 0 ? CompletableFuture.completedFuture(OpenLoad.Outcome.ok(null, 0))
                        : new CompletableFuture<>());
        assertEquals(5, run.samples().size());
        assertEquals(2, run.errorCount());
        assertFalse(run.samples().get(1).outcome().ok());
    }

    @Test
    void aRunSplitsByIntendedTimeIntoTwoRunsOfItsOwnRequests() {
        long second = 1_000_000_000L;
        List<OpenLoad.Sample> samples = List.of(
                new OpenLoad.Sample(0, 3 * second, OpenLoad.Outcome.ok("a", 0)),
                new OpenLoad.Sample(second, 0, OpenLoad.Outcome.failed("no reply within the drain time")),
                new OpenLoad.Sample(2 * second, 5 * second, OpenLoad.Outcome.ok("c", 0)),
                new OpenLoad.Sample(3 * second, 4 * second, OpenLoad.Outcome.ok("d", 0)));
        OpenLoad.Run run = new OpenLoad.Run(samples, 0, 5 * second, 0, 0);

        List<OpenLoad.Run> parts = run.splitAt(Duration.ofSeconds(2));

        assertEquals(samples.subList(0, 2), parts.get(0).samples());
        assertEquals(0, parts.get(0).startNanos());
        assertEquals(3 * second, parts.get(0).endNanos(), "the first part ends at its own last reply");
        assertEquals(1, parts.get(0).errorCount());
        assertEquals(samples.subList(2, 4), parts.get(1).samples());
        assertEquals(2 * second, parts.get(1).startNanos(), "the second part starts where it was cut");
        assertEquals(5 * second, parts.get(1).endNanos());
        assertEquals(2 / 3.0, parts.get(1).throughput(), 1e-9);
    }

    @Test
    void percentilesUseNearestRank() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (100 - i) * 1_000_000L;
        }
        Percentiles p = Percentiles.ofNanos(nanos);
        assertEquals(50.0, p.p50());
        assertEquals(95.0, p.p95());
        assertEquals(99.0, p.p99());
        assertEquals(100.0, p.max());
        assertEquals(7.0, Percentiles.ofNanos(new long[] {7_000_000}).p99());
        assertEquals(0, Percentiles.ofNanos(new long[0]).count());
    }

    @Test
    void windowsShowWhenAQueueBuiltUpAndDrained() {
        long second = 1_000_000_000L;
        // 1 request a second for 6 s, intended at 0..5 s; those intended at 2 and 3 s waited, the one at 4 s failed.
        long[] latencyMs = {10, 20, 900, 700, 0, 30};
        List<OpenLoad.Sample> samples = new ArrayList<>();
        for (int i = 0; i < latencyMs.length; i++) {
            long intended = 1000 + i * second;
            samples.add(new OpenLoad.Sample(intended, intended + latencyMs[i] * 1_000_000,
                    i == 4 ? OpenLoad.Outcome.failed("timeout") : OpenLoad.Outcome.ok("c" + i, 0)));
        }
        OpenLoad.Run run = new OpenLoad.Run(samples, 1000, 1000 + 6 * second, 0, 0);

        List<Percentiles> windows = run.windows(Duration.ofSeconds(2));
        assertEquals(3, windows.size());
        assertEquals(20.0, windows.get(0).max());
        assertEquals(900.0, windows.get(1).max());
        assertEquals(700.0, windows.get(1).p50());
        assertEquals(1, windows.get(2).count(), "the failed request is not a latency");
        assertEquals(30.0, windows.get(2).p99());
    }

    @Test
    void cpuTicksAreUtimePlusStimeEvenWithSpacesInTheCommandName() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1500 250 0 0 20 0 40 0 12345 "
                + "4000000000 50000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assertEquals(1750, ProcessSampler.parseCpuTicks(stat));
        assertTrue(ProcessSampler.cpuTicks(ProcessHandle.current().pid()) > 0);
        assertTrue(ProcessSampler.statusKb(ProcessHandle.current().pid(), "VmRSS:") > 0);
    }

    @Test
    void compilerTicksAreTheJitThreadsOnly() {
        assertTrue(ProcessSampler.isCompilerThread("17 (C2 CompilerThre) S 1 4242 4242 0 -1 0 0 0 0 0 900 20"));
        assertTrue(ProcessSampler.isCompilerThread("18 (C1 CompilerThre) S 1 4242 4242 0 -1 0 0 0 0 0 300 10"));
        assertFalse(ProcessSampler.isCompilerThread("19 (vert.x-eventloo) S 1 4242 4242 0 -1 0 0 0 0 0 300 10"));
        assertFalse(ProcessSampler.isCompilerThread("20 (java) S 1 4242 4242 0 -1 0 0 0 0 0 300 10"));
        long pid = ProcessHandle.current().pid();
        long compiler = ProcessSampler.compilerTicks(pid);
        assertTrue(compiler > 0, "this JVM has compiled the code that runs this test");
        assertTrue(compiler < ProcessSampler.cpuTicks(pid), "compiling is a part of the process's CPU time");
    }
}
