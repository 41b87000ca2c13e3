package io.conclave.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The stop-the-world pauses of the mesh's JVMs, read from the GC logs the harness has each of them write
 * ({@link #logOption}), and which of them fell on the slowest requests' critical path outside the model: a request
 * whose records cross a process while it is paused waits for the pause, so this says how much of a scenario's tail
 * the collections explain, process by process.
 */
final class GcPauses {

    /** One pause, epoch milliseconds. */
    record Pause(long startMs, long endMs) {
        boolean overlaps(long fromMs, long toMs) {
            return startMs <= toMs && fromMs <= endMs;
        }
    }

    /** A pause's summary line: {@code [<time>]... GC(n) Pause Young (Allocation Failure) 95M->61M(123M) 16.092ms}. */
    private static final Pattern PAUSE = Pattern.compile("^\\[([^]]+)].*GC\\(\\d+\\) Pause .* ([0-9.]+)ms$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private GcPauses() {
    }

    /** The JVM option that logs every pause into {@code dir/gc-<pid>.log}, each line stamped with the wall clock. */
    static String logOption(Path dir) {
        return "-Xlog:gc:file=" + dir + "/gc-%p.log:time";
    }

    /** Has this JVM (the load generator) log its pauses from now on as {@link #logOption} has the others do. */
    static void logThisJvm(Path dir) throws JMException {
        String log = logOf(dir, ProcessHandle.current().pid()).toString();
        ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmLog",
                new Object[] {new String[] {"output=file=" + log, "what=gc", "decorators=time"}},
                new String[] {String[].class.getName()});
    }

    /** Where {@link #logOption} has the JVM of {@code pid} write. */
    private static Path logOf(Path dir, long pid) {
        return dir.resolve("gc-" + pid + ".log");
    }

    /** Every pause in one log, in order; a pause's line is stamped when it ends. Other lines are skipped. */
    static List<Pause> parse(Collection<String> lines) {
        List<Pause> pauses = new ArrayList<>();
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            try {
                long end = OffsetDateTime.parse(m.group(1), TIME).toInstant().toEpochMilli();
                long length = Math.round(Double.parseDouble(m.group(2)));
                pauses.add(new Pause(end - length, end));
            } catch (DateTimeParseException | NumberFormatException e) {
                // a line decorated otherwise (not by the harness' option): not a pause this can place in time
            }
        }
        return pauses;
    }

    /** The pauses of each named process whose log is in {@code dir} (by PID); a process without one is left out. */
    static Map<String, List<Pause>> read(Path dir, Map<String, Long> pids) {
        Map<String, List<Pause>> pauses = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            Path log = logOf(dir, pid);
            if (Files.isReadable(log)) {
                try {
                    pauses.put(name, parse(Files.readAllLines(log)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        return pauses;
    }

    /**
     * Which processes paused on the critical path of the {@code share} of requests with the most own time, against
     * the same count over every request: a process whose pauses explain the tail shows up far more often among the
     * slowest than among all.
     *
     * @param ownMs each answered request's own time in the mesh (the gateway's {@code x-conclave-overhead-ms})
     * @param legs each request's stretches outside the model, epoch ms ({@link HopTimeline.Trace#legs()})
     */
    static String onSlowest(double share, Map<String, Long> ownMs, Map<String, List<long[]>> legs,
            Map<String, List<Pause>> pauses) {
        List<String> all = ownMs.keySet().stream().filter(legs::containsKey).toList();
        if (all.isEmpty() || pauses.isEmpty()) {
            return "no requests with both an own time and their records, or no GC logs: nothing to compare";
        }
        List<String> slowest = all.stream()
                .sorted((a, b) -> Long.compare(ownMs.get(b), ownMs.get(a)))
                .limit(Math.max(1, Math.round(all.size() * share)))
                .toList();
        long threshold = ownMs.get(slowest.get(slowest.size() - 1));
        return String.format(Locale.ROOT, "the %d requests with the most own time (%.0f%% of %d, at least %d ms): %s;"
                + " of all %d: %s. Of those %d, %d had their longest stretch at the same time as another of them "
                + "(one stall, whatever its hop)", slowest.size(), share * 100, all.size(), threshold,
                paused(slowest, legs, pauses), all.size(), paused(all, legs, pauses), slowest.size(),
                sharingAStall(slowest, legs));
    }

    /** How many of the requests' longest stretches overlap the longest stretch of another of them. */
    static int sharingAStall(List<String> requests, Map<String, List<long[]>> legs) {
        List<long[]> longest = requests.stream()
                .map(id -> legs.get(id).stream().max((a, b) -> Long.compare(a[1] - a[0], b[1] - b[0])).orElse(null))
                .filter(leg -> leg != null)
                .toList();
        int sharing = 0;
        for (int i = 0; i < longest.size(); i++) {
            for (int j = 0; j < longest.size(); j++) {
                if (i != j && longest.get(i)[0] <= longest.get(j)[1] && longest.get(j)[0] <= longest.get(i)[1]) {
                    sharing++;
                    break;
                }
            }
        }
        return sharing;
    }

    /** How many of the requests had a pause of each process on a leg, and how many had none. */
    private static String paused(List<String> requests, Map<String, List<long[]>> legs,
            Map<String, List<Pause>> pauses) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        pauses.keySet().forEach(name -> counts.put(name, 0));
        int none = 0;
        for (String id : requests) {
            boolean any = false;
            for (Map.Entry<String, List<Pause>> process : pauses.entrySet()) {
                if (hit(legs.get(id), process.getValue())) {
                    counts.merge(process.getKey(), 1, Integer::sum);
                    any = true;
                }
            }
            none += any ? 0 : 1;
        }
        StringJoiner text = new StringJoiner(", ", "a pause of ", "");
        counts.forEach((name, count) -> text.add(String.format(Locale.ROOT, "%s %d (%.1f%%)", name, count,
                100.0 * count / requests.size())));
        return text + String.format(Locale.ROOT, "; none %d (%.1f%%)", none, 100.0 * none / requests.size());
    }

    private static boolean hit(List<long[]> legs, List<Pause> pauses) {
        for (long[] leg : legs) {
            for (Pause pause : pauses) {
                if (pause.overlaps(leg[0], leg[1])) {
                    return true;
                }
            }
        }
        return false;
    }
}
