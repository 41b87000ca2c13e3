package io.conclave.bench;

import io.conclave.bench.Benchmark.Row;
import io.conclave.bench.ProcessSampler.Usage;
import io.conclave.e2e.Mesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Collects the rows of a run and writes them as Markdown tables plus the latency-against-load SVG. */
final class Report {

    private final List<Row> rows = new ArrayList<>();
    private final List<Row> sweep = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Map<String, long[]>> hops = new LinkedHashMap<>();
    private final Map<String, List<SpanPath.Step>> spanPaths = new LinkedHashMap<>();
    private final List<double[]> scaling = new ArrayList<>();
    private final StringBuilder header = new StringBuilder();
    private Instant started;

    void begin(Path root, boolean quick) {
        started = Instant.now();
        String commit = String.join("", Benchmark.commandOutput("git", "-C", root.toString(), "rev-parse", "--short",
                "HEAD"));
        boolean dirty = !Benchmark.commandOutput("git", "-C", root.toString(), "status", "--porcelain").isEmpty();
        String cpu = Benchmark.read(Path.of("/proc/cpuinfo")).lines().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        String memory = Benchmark.read(Path.of("/proc/meminfo")).lines().filter(l -> l.startsWith("MemTotal"))
                .findFirst().orElse("?").replaceAll("\\s+", " ");
        header.append("- started: ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(quick ? " (quick run)" : "")
                .append('\n')
                .append("- commit: ").append(commit).append(dirty ? " plus uncommitted changes" : "").append('\n')
                .append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ").append(cpu)
                .append(", ").append(memory).append(", ")
                .append(String.join(" ", Benchmark.commandOutput("uname", "-sr"))).append('\n')
                .append("- Java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version"))
                .append("; services run with ").append(String.join(" ", Mesh.Options.defaults().jvmOptions()))
                .append(" ").append(Mesh.JIT_OPTIONS)
                .append(", the worker also with ").append(String.join(" ", Mesh.WORKER_JVM_OPTIONS))
                .append('\n')
                .append("- load average before: ").append(loadAverage()).append('\n');
        System.out.print("bench:\n" + header);
    }

    static String loadAverage() {
        String[] parts = Benchmark.read(Path.of("/proc/loadavg")).trim().split("\\s+");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "?";
    }

    void niceness(String nice) {
        if (header.indexOf("- niceness") < 0) {
            header.append("- niceness: every thread of the broker, simulator, services and load generator ran at nice ")
                    .append(nice).append(" (so that other work on the machine takes less of its CPU)\n");
        }
    }

    void setting(String setting) {
        header.append("- setting: ").append(setting).append('\n');
    }

    void add(Row row) {
        rows.add(row);
    }

    void sweep(Row row) {
        sweep.add(row);
    }

    void note(String note) {
        System.out.println("bench: " + note);
        notes.add(note);
    }

    void hops(String scenario, Map<String, long[]> measured) {
        hops.put(scenario, measured);
        measured.forEach((hop, v) -> System.out.printf("bench: hop %-48s p50 %5d ms  p99 %5d ms  (%d)%n", hop, v[0],
                v[1], v[2]));
    }

    void spanPath(String scenario, List<SpanPath.Step> steps) {
        spanPaths.put(scenario, steps);
        steps.forEach(step -> System.out.printf(Locale.ROOT,
                "bench: span step %-80s p50 %8.2f ms  p99 %8.2f ms  (%d)%n", step.name(), step.p50Ms(), step.p99Ms(),
                step.requests()));
    }

    void scaling(int workers, double rate, double subtasksPerSecond) {
        scaling.add(new double[] {workers, rate, subtasksPerSecond});
        System.out.printf(Locale.ROOT, "bench: scaling %d workers: %.2f sub-tasks/s%n", workers, subtasksPerSecond);
    }

    static String shortName(String process) {
        return process.replace("gateway-service", "gw").replace("planner-service", "pl")
                .replace("agent-worker-service-", "wk").replace("agent-worker-service", "wk")
                .replace("aggregator-service", "ag");
    }

    static String line(Row row) {
        return String.format(Locale.ROOT, "%-28s %-8s %6.1f rps  n=%-5d err=%-4d p50 %8.1f  p95 %8.1f  p99 %8.1f ms"
                        + "  %6.1f/s%s  %s", row.scenario(), row.system(), row.rate(), row.run().samples().size(),
                row.run().errorCount(), row.latency().p50(), row.latency().p95(), row.latency().p99(),
                row.run().throughput(), row.ttft() == null ? "" : String.format(Locale.ROOT,
                        "  TTFT p50 %.1f p99 %.1f", row.ttft().p50(), row.ttft().p99()),
                row.errors().isEmpty() ? "" : "errors: " + row.errors()) + overheadHeader(row);
    }

    /** The median of the gateway's own {@code x-conclave-overhead-ms} header, when it sent one. */
    static String overheadHeader(Row row) {
        long[] values = overheadMs(row);
        return values.length == 0 ? "" : "  x-conclave-overhead-ms p50 " + Percentiles.rank(values, 50) + " max "
                + values[values.length - 1];
    }

    /** The gateway's {@code x-conclave-overhead-ms} of every answer that carried it, sorted. */
    private static long[] overheadMs(Row row) {
        return row.run().samples().stream().mapToLong(s -> s.outcome().overheadMs()).filter(v -> v >= 0).sorted()
                .toArray();
    }

    void end(Path dir) throws IOException {
        Files.createDirectories(dir);
        header.append("- load average after: ").append(loadAverage()).append('\n')
                .append("- duration: ").append(Instant.now().getEpochSecond() - started.getEpochSecond())
                .append(" s\n");
        StringBuilder md = new StringBuilder("<!-- Generated by io.conclave.bench.Benchmark; do not edit. -->\n")
                .append("# Benchmark results\n\n").append(header).append('\n');
        md.append("## Scenarios\n\nLatency is measured from each request's intended send time (open model, constant")
                .append(" arrival rate). CPU is seconds of CPU time over the scenario; RSS is the peak resident set")
                .append(" sampled every 200 ms.\n\n")
                .append("| scenario | system | rate (rps) | requests | errors | p50 ms | p95 ms | p99 ms | throughput"
                        + " (rps) | CPU s | peak RSS MB |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Row row : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %d | %d | %s | %s | %s | %.1f | %s | %s |%n",
                    row.scenario(), row.system(), row.rate(), row.run().samples().size(), row.run().errorCount(),
                    ms(row.latency().p50()), ms(row.latency().p95()), ms(row.latency().p99()),
                    row.run().throughput(), cpu(row.usage()), rss(row.usage())));
        }
        md.append("\n## Overhead: mesh minus baseline\n\n")
                .append("The last two columns are the mesh's own time: the gateway's `x-conclave-overhead-ms`, a")
                .append(" request's time in the gateway minus the LLM time on its critical path as the workers")
                .append(" measured it. The difference to the first columns is the client's HTTP legs to and from the")
                .append(" gateway and the LLM calls taking longer or shorter than in the baseline's run; a note after")
                .append(" contemplating N=4 at 20 rps measures both.\n\n")
                .append("| scenario | rate (rps) | p50 ms | p95 ms | p99 ms | outside LLM p50 ms")
                .append(" | outside LLM p99 ms |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row mesh : rows) {
            if (!mesh.system().equals("mesh")) {
                continue;
            }
            rows.stream().filter(b -> b.system().equals("baseline") && b.scenario().equals(mesh.scenario())
                    && b.rate() == mesh.rate()).findFirst().ifPresent(base -> {
                        boolean ttft = mesh.ttft() != null && base.ttft() != null;
                        Percentiles m = ttft ? mesh.ttft() : mesh.latency();
                        Percentiles b = ttft ? base.ttft() : base.latency();
                        long[] own = overheadMs(mesh);
                        md.append(String.format(Locale.ROOT, "| %s%s | %.1f | %s | %s | %s | %s | %s |%n",
                                mesh.scenario(), ttft ? " (time to first token)" : "", mesh.rate(),
                                ms(m.p50() - b.p50()), ms(m.p95() - b.p95()), ms(m.p99() - b.p99()),
                                own.length == 0 ? "" : Long.toString(Percentiles.rank(own, 50)),
                                own.length == 0 ? "" : Long.toString(Percentiles.rank(own, 99))));
                    });
        }
        hops.forEach((scenario, measured) -> {
            md.append("\n## Where the time goes: ").append(scenario).append("\n\n")
                    .append("From the records' producer timestamps and the workers' own latency and LLM time.\n\n")
                    .append("| hop | p50 ms | p99 ms | requests |\n|---|---:|---:|---:|\n");
            measured.forEach((hop, v) -> md.append("| ").append(hop).append(" | ").append(v[0]).append(" | ")
                    .append(v[1]).append(" | ").append(v[2]).append(" |\n"));
        });
        spanPaths.forEach((scenario, steps) -> {
            md.append("\n## Where the time goes, from the spans: ").append(scenario).append("\n\n")
                    .append("Every request traced (`-Dbench.spans=on`, which costs CPU); each step from one milestone")
                    .append(" of a request's critical path to the next (a span's start, unless it says otherwise),")
                    .append(" over the requests whose path had the most common shape.\n\n")
                    .append("| step | p50 ms | p99 ms | requests |\n|---|---:|---:|---:|\n");
            steps.forEach(step -> md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %d |%n", step.name(),
                    step.p50Ms(), step.p99Ms(), step.requests())));
        });
        if (!scaling.isEmpty()) {
            double one = scaling.get(0)[2];
            md.append("\n## Worker scaling\n\n| workers | offered (rps) | sub-tasks/s | vs 1 worker | of linear |\n")
                    .append("|---:|---:|---:|---:|---:|\n");
            for (double[] s : scaling) {
                md.append(String.format(Locale.ROOT, "| %d | %.1f | %.2f | %.2f× | %.0f%% |%n", (int) s[0], s[1],
                        s[2], s[2] / one, 100 * s[2] / (s[0] * one)));
            }
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        List<String> errors = rows.stream().filter(r -> !r.errors().isEmpty())
                .map(r -> r.scenario() + " / " + r.system() + " @ " + r.rate() + ": " + r.errors()).toList();
        if (!errors.isEmpty()) {
            md.append("\n## Errors\n\n");
            errors.forEach(e -> md.append("- ").append(e).append('\n'));
        }
        if (!sweep.isEmpty()) {
            md.append("\n![latency against offered load](latency-vs-load.svg)\n");
            Files.writeString(dir.resolve("latency-vs-load.svg"), SvgPlot.latencyVsLoad(sweep));
        }
        Files.writeString(dir.resolve("results.md"), md);
        System.out.println("bench: wrote " + dir.resolve("results.md"));
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String cpu(Map<String, Usage> usage) {
        return usage.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(),
                e.getValue().cpuSeconds())).collect(Collectors.joining(", "));
    }

    private static String rss(Map<String, Usage> usage) {
        return usage.entrySet().stream().filter(e -> !e.getKey().equals("load"))
                .map(e -> e.getKey() + " " + e.getValue().peakRssKb() / 1024).collect(Collectors.joining(", "));
    }
}
