package io.conclave.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * CPU time and peak resident memory of named processes over one scenario, read from {@code /proc/<pid>/stat}
 * (utime + stime) and {@code /proc/<pid>/status} (VmRSS, sampled every 200 ms; VmHWM is the lifetime peak), and
 * of that CPU time what the JVM's JIT compiler threads took ({@code /proc/<pid>/task/<tid>/stat}).
 */
public final class ProcessSampler implements AutoCloseable {

    /** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Java runs on here. */
    static final double TICKS_PER_SECOND = 100.0;

    /** One process over one scenario; {@code compilerSeconds} is the part of its CPU time spent compiling. */
    public record Usage(double cpuSeconds, long peakRssKb, double compilerSeconds) {
    }

    /** HotSpot's compiler threads are "C1 CompilerThread<n>" and "C2 CompilerThread<n>", cut to 15 characters. */
    private static final List<String> COMPILER_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");

    private final Map<String, Long> pids;
    private final Map<String, Long> startTicks = new LinkedHashMap<>();
    private final Map<String, Long> startCompilerTicks = new LinkedHashMap<>();
    private final Map<String, Long> peakRss = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    public ProcessSampler(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
        pids.forEach((name, pid) -> {
            startTicks.put(name, cpuTicks(pid));
            startCompilerTicks.put(name, compilerTicks(pid));
        });
        sampleRss();
        sampler = new Thread(this::loop, "bench-proc-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void loop() {
        while (running) {
            sampleRss();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sampleRss() {
        pids.forEach((name, pid) -> peakRss.merge(name, statusKb(pid, "VmRSS:"), Math::max));
    }

    /** Stops sampling and returns each process's CPU seconds and peak RSS since construction. */
    public Map<String, Usage> stop() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join();
        sampleRss();
        Map<String, Usage> usage = new LinkedHashMap<>();
        pids.forEach((name, pid) -> usage.put(name, new Usage(
                (cpuTicks(pid) - startTicks.get(name)) / TICKS_PER_SECOND, peakRss.getOrDefault(name, 0L),
                (compilerTicks(pid) - startCompilerTicks.get(name)) / TICKS_PER_SECOND)));
        return usage;
    }

    @Override
    public void close() throws InterruptedException {
        if (running) {
            stop();
        }
    }

    /** utime + stime of a process, in clock ticks; fields 14 and 15 of /proc/pid/stat (after the command name). */
    static long cpuTicks(long pid) {
        try {
            return parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException gone) {
            return 0;
        }
    }

    /**
     * utime + stime of the process's JIT compiler threads, in clock ticks (0 once it has ended). A compiler thread
     * that HotSpot stops takes its time with it; on two CPUs it runs one of each kind, which it never stops.
     */
    static long compilerTicks(long pid) {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    if (isCompilerThread(stat)) {
                        ticks += parseCpuTicks(stat);
                    }
                } catch (IOException gone) {
                    // the thread ended
                }
            }
        } catch (IOException | UncheckedIOException gone) {
            // the process ended
        }
        return ticks;
    }

    /** Whether a thread's {@code stat} line names one of HotSpot's JIT compiler threads. */
    static boolean isCompilerThread(String stat) {
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        return COMPILER_THREADS.stream().anyMatch(name::startsWith);
    }

    static long parseCpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static long statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended
        }
        return 0;
    }
}
