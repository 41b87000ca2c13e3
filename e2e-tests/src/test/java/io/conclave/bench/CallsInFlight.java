package io.conclave.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The simulator's calls in flight ({@code inFlight} of {@code /sim/stats}), read every 250 ms while a scenario
 * runs: when every worker's calls are in flight at once (its {@code CONCLAVE_WORKER_CONCURRENCY}), sub-tasks wait
 * in the worker's pickup and the latency shows a queue that is not the mesh's hops (docs/benchmarks.md, round
 * sixteen). Reported as the most in flight per window, next to the windows' latencies.
 */
final class CallsInFlight {

    static final Duration INTERVAL = Duration.ofMillis(250);

    /** One reading: when ({@link System#nanoTime()}) and how many calls were in flight. */
    record Reading(long nanos, int inFlight) {
    }

    private final String simulatorUrl;
    private final List<Reading> readings = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    CallsInFlight(String simulatorUrl) {
        this.simulatorUrl = simulatorUrl;
        thread = new Thread(this::loop, "bench-calls-in-flight");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                int inFlight = Benchmark.simStats(simulatorUrl).path("inFlight").asInt(-1);
                synchronized (readings) {
                    readings.add(new Reading(System.nanoTime(), inFlight));
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                System.out.println("bench: reading the simulator's calls in flight failed: " + e);
            }
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops reading and returns the readings taken. */
    List<Reading> stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        synchronized (readings) {
            return List.copyOf(readings);
        }
    }

    /**
     * The most calls in flight in each window of {@code length} from {@code startNanos}, up to {@code windows}
     * windows; -1 for a window without a reading.
     */
    static int[] peaks(List<Reading> readings, long startNanos, Duration length, int windows) {
        int[] peaks = new int[windows];
        Arrays.fill(peaks, -1);
        for (Reading reading : readings) {
            long offset = reading.nanos() - startNanos;
            int window = (int) (offset / length.toNanos());
            if (offset >= 0 && window < windows && reading.inFlight() >= 0) {
                peaks[window] = Math.max(peaks[window], reading.inFlight());
            }
        }
        return peaks;
    }
}
