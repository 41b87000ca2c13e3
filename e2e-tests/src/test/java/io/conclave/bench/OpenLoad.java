package io.conclave.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-model load at a constant arrival rate: request {@code i} is due at {@code start + i / rate} whether or not
 * earlier ones have answered, and its latency counts from that intended time, not from when it was actually sent.
 * A system that falls behind therefore shows its queueing in the percentiles instead of slowing the load down
 * (no coordinated omission).
 */
public final class OpenLoad {

    /** What one call reported: success, or why not, and what the mesh said about it. */
    public record Outcome(boolean ok, String error, String correlationId, long firstByteNanos, long overheadMs) {
        public static Outcome ok(String correlationId, long firstByteNanos) {
            return new Outcome(true, null, correlationId, firstByteNanos, -1);
        }

        public static Outcome failed(String error) {
            return new Outcome(false, error, null, 0, -1);
        }

        Outcome withOverheadMs(long millis) {
            return new Outcome(ok, error, correlationId, firstByteNanos, millis);
        }
    }

    /** Sends call {@code index}; the future completes when its reply is complete. */
    @FunctionalInterface
    public interface Call {
        CompletableFuture<Outcome> send(int index);
    }

    /** One request: when it was due, when its reply ended (0 if never), and its outcome. */
    public record Sample(long intendedNanos, long endNanos, Outcome outcome) {
        long latencyNanos() {
            return endNanos - intendedNanos;
        }

        /** Time to first byte of the answer's content, from the intended send time (streaming only). */
        long firstByteLatencyNanos() {
            return outcome.firstByteNanos() - intendedNanos;
        }
    }

    /** Every sample of one run, in order of intended time, and the run's wall-clock span. */
    public record Run(List<Sample> samples, long startNanos, long endNanos, long anchorEpochMs, long anchorNanos) {
        /** The wall-clock time of a {@link System#nanoTime()} reading taken during the run. */
        long epochMs(long nanos) {
            return anchorEpochMs + (nanos - anchorNanos) / 1_000_000;
        }

        long[] latencies(boolean okOnly) {
            return samples.stream().filter(s -> !okOnly || s.outcome().ok()).mapToLong(Sample::latencyNanos)
                    .toArray();
        }

        /**
         * The samples intended before {@code at} from the start of the run, and those from then on, as two runs of
         * their own: one unbroken load reported in two parts.
         */
        List<Run> splitAt(Duration at) {
            long split = startNanos + at.toNanos();
            List<Sample> before = samples.stream().filter(s -> s.intendedNanos() < split).toList();
            List<Sample> after = samples.stream().filter(s -> s.intendedNanos() >= split).toList();
            return List.of(new Run(before, startNanos, lastReply(before, startNanos), anchorEpochMs, anchorNanos),
                    new Run(after, split, lastReply(after, split), anchorEpochMs, anchorNanos));
        }

        private static long lastReply(List<Sample> samples, long start) {
            return samples.stream().mapToLong(Sample::endNanos).filter(end -> end > 0).max().orElse(start);
        }

        long okCount() {
            return samples.stream().filter(s -> s.outcome().ok()).count();
        }

        long errorCount() {
            return samples.size() - okCount();
        }

        /** Successful replies per second over the span from the first intended send to the last reply. */
        double throughput() {
            double seconds = (endNanos - startNanos) / 1e9;
            return seconds <= 0 ? 0 : okCount() / seconds;
        }

        /**
         * The latencies of the successful replies in consecutive windows of {@code length}, by intended send time:
         * when in a run a queue built up and when it drained.
         */
        List<Percentiles> windows(Duration length) {
            long step = length.toNanos();
            List<List<Long>> windows = new ArrayList<>();
            for (Sample sample : samples) {
                int window = (int) ((sample.intendedNanos() - startNanos) / step);
                while (windows.size() <= window) {
                    windows.add(new ArrayList<>());
                }
                if (sample.outcome().ok()) {
                    windows.get(window).add(sample.latencyNanos());
                }
            }
            return windows.stream()
                    .map(latencies -> Percentiles.ofNanos(latencies.stream().mapToLong(Long::longValue).toArray()))
                    .toList();
        }
    }

    private OpenLoad() {
    }

    /** Offset of request {@code index} from the start of a run at {@code ratePerSecond}. */
    static long intendedOffsetNanos(int index, double ratePerSecond) {
        return Math.round(index * 1_000_000_000.0 / ratePerSecond);
    }

    /** How many requests a run of {@code duration} at {@code ratePerSecond} sends. */
    static int requestCount(double ratePerSecond, Duration duration) {
        return (int) Math.floor(ratePerSecond * duration.toNanos() / 1e9);
    }

    /**
     * Runs the load and waits up to {@code drain} after the last intended send for the replies still out; those
     * count as errors.
     */
    public static Run run(double ratePerSecond, Duration duration, Duration drain, Call call)
            throws InterruptedException {
        int count = requestCount(ratePerSecond, duration);
        Sample[] samples = new Sample[count];
        CountDownLatch done = new CountDownLatch(count);
        long anchorEpochMs = System.currentTimeMillis();
        long anchorNanos = System.nanoTime();
        long start = anchorNanos + TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < count; i++) {
            long intended = start + intendedOffsetNanos(i, ratePerSecond);
            sleepUntil(intended);
            int index = i;
            CompletableFuture<Outcome> reply;
            try {
                reply = call.send(i);
            } catch (RuntimeException e) {
                reply = CompletableFuture.completedFuture(Outcome.failed("send: " + e));
            }
            reply.whenComplete((outcome, failure) -> {
                Outcome result = failure != null ? Outcome.failed(String.valueOf(rootCause(failure))) : outcome;
                samples[index] = new Sample(intended, System.nanoTime(), result);
                done.countDown();
            });
        }
        long lastIntended = start + intendedOffsetNanos(Math.max(0, count - 1), ratePerSecond);
        done.await(Math.max(0, lastIntended + drain.toNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
        List<Sample> all = new ArrayList<>(count);
        long end = start;
        for (int i = 0; i < count; i++) {
            Sample sample = samples[i];
            if (sample == null) {
                sample = new Sample(start + intendedOffsetNanos(i, ratePerSecond), 0,
                        Outcome.failed("no reply within the drain time"));
            } else {
                end = Math.max(end, sample.endNanos());
            }
            all.add(sample);
        }
        return new Run(all, start, end, anchorEpochMs, anchorNanos);
    }

    private static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
