package io.conclave.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.bench.LoadClients.Job;
import io.conclave.bench.OpenLoad.Run;
import io.conclave.bench.ProcessSampler.Usage;
import io.conclave.e2e.ManagedProcess;
import io.conclave.e2e.Mesh;
import io.conclave.e2e.OtlpReceiver;
import io.conclave.kafka.KafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The published benchmark: starts the broker, the simulator and the services as processes ({@link Mesh}), drives
 * the gateway and the physical-limit baseline with the same open-model load, and writes the results table and
 * the latency-against-load plot to {@code docs/benchmarks/}. Run by {@code ./mvnw -B verify -Pbench -DskipTests}
 * (see README); {@code -Dbench.quick=true} runs every scenario briefly, {@code -Dbench.only=instant,sweep} a subset.
 */
public final class Benchmark {

    static final String INSTANT = "conclave-instant";
    static final String CONTEMPLATING = "conclave-contemplating";
    /** The simulator of the latency scenarios: 200 ms to the first token, then 64 tokens at 2 ms. */
    static final Map<String, String> SLOW_SIM = Map.of("SIM_TTFT_MS", "200", "SIM_TOKEN_MS", "2", "SIM_TOKENS", "64");
    /** One call to {@link #SLOW_SIM}: its first token, then the rest. */
    static final Duration SLOW_SIM_CALL = Duration.ofMillis(Long.parseLong(SLOW_SIM.get("SIM_TTFT_MS"))
            + Long.parseLong(SLOW_SIM.get("SIM_TOKENS")) * Long.parseLong(SLOW_SIM.get("SIM_TOKEN_MS")));
    static final String FAST_SIM = "{\"ttft_ms\": 20, \"token_ms\": 1, \"tokens\": 64, \"jitter_ms\": 0}";
    /**
     * Sub-tasks one worker runs at once in the latency scenarios ({@code -Dbench.workerConcurrency}), with a quarter
     * more connections to the simulator than that. Enough that the worker does not queue them: with 160, the jump to
     * 100 rps had all 160 in flight and queued for seconds (docs/benchmarks.md, round sixteen).
     */
    private final int workerConcurrency = Integer.getInteger("bench.workerConcurrency", 320);
    static final int SCALING_K = 8;
    static final Duration DRAIN = Duration.ofSeconds(60);
    /** The throughput target: at least this many requests per second, sustained. */
    static final double SUSTAINED_RATE = 100;
    static final int SETTLED_MARGIN_MS = 100;

    private final boolean quick = Boolean.getBoolean("bench.quick");
    private final Set<String> only = Set.of(System.getProperty("bench.only", "").split(","));
    private final Path root = Path.of(System.getProperty("conclave.root", "..")).toAbsolutePath().normalize();
    /** The broker, the services and the load generator log their pauses here, one file per PID ({@link GcPauses}). */
    private final Path gcLogs = root.resolve("e2e-tests/target/bench-gc");
    private final LoadClients clients = new LoadClients();
    private final AtomicInteger questions = new AtomicInteger();
    private final Report report = new Report();
    private Path apps;
    /** With {@code -Dbench.spans=on}: every request traced, its spans exported here ({@link SpanPath}). */
    private OtlpReceiver spans;

    public static void main(String[] args) throws Exception {
        new Benchmark().run();
    }

    void run() throws Exception {
        report.begin(root, quick);
        Files.createDirectories(gcLogs);
        GcPauses.logThisJvm(gcLogs);
        brokerOptions();
        if ("on".equals(System.getProperty("bench.spans", ""))) {
            spans = new OtlpReceiver();
        }
        apps = snapshot();
        if (wanted("single", "instant", "contemplating", "vote", "streaming", "sustained", "sweep")) {
            latencyScenarios();
        }
        if (wanted("scaling")) {
            scaling();
        }
        report.end(root.resolve("docs/benchmarks"));
        clients.close();
        if (spans != null) {
            spans.close();
        }
    }

    /**
     * Copies the packaged services and the simulator to {@code e2e-tests/target/bench-apps}, so that a build running
     * next to the benchmark (this machine is shared) cannot replace a jar under a running scenario.
     */
    private Path snapshot() throws IOException, InterruptedException {
        Path copy = root.resolve("e2e-tests/target/bench-apps");
        commandOutput("rm", "-rf", copy.toString());
        for (String app : Mesh.SERVICES) {
            Path target = Files.createDirectories(copy.resolve(app).resolve("target"));
            commandOutput("cp", "-a", root.resolve(app).resolve("target/quarkus-app").toString(), target.toString());
            if (!Files.exists(target.resolve("quarkus-app/quarkus-run.jar"))) {
                throw new IllegalStateException(app + " is not packaged (or is being rebuilt): run ./mvnw package");
            }
        }
        Path simulator = Files.createDirectories(copy.resolve("llm-simulator/target"));
        Files.copy(root.resolve("llm-simulator/target/llm-simulator.jar"), simulator.resolve("llm-simulator.jar"));
        commandOutput("cp", "-a", root.resolve("llm-simulator/target/lib").toString(), simulator.toString());
        Files.createDirectories(copy.resolve("e2e-tests/target"));
        return copy;
    }

    private boolean wanted(String... names) {
        if (only.equals(Set.of(""))) {
            return true;
        }
        for (String name : names) {
            if (only.contains(name)) {
                return true;
            }
        }
        return false;
    }

    private Duration seconds(int full, int brief) {
        return Duration.ofSeconds(quick ? brief : full);
    }

    private void latencyScenarios() throws Exception {
        int connections = workerConcurrency * 5 / 4;
        Mesh.Options options = withServiceEnv(withGatewayLimits(withProfiler(Mesh.Options.defaults())))
                .withSimulatorEnv(SLOW_SIM)
                .withServiceEnv("agent-worker-service", Map.of(
                        "CONCLAVE_WORKER_CONCURRENCY", Integer.toString(workerConcurrency),
                        "CONCLAVE_LLM_PROVIDERS_DEFAULT_MAX_CONNECTIONS", Integer.toString(connections)));
        report.setting("worker concurrency in the latency scenarios: " + workerConcurrency + " calls, "
                + connections + " connections to the simulator");
        try (Mesh mesh = Mesh.start(apps, options)) {
            prioritize(meshPids(mesh));
            Job n4 = new Job(CONTEMPLATING, 4, null, false);
            if (wanted("single")) {
                // The first requests after start-up, one at a time: what a single request sees on a fresh mesh.
                Row row = compare(mesh, "contemplating N=4, first 8 after start", n4, 0.5, seconds(16, 16),
                        seconds(16, 16));
                report.hops("contemplating N=4, first 8 requests after start", hopsOf(mesh, row.run()));
            }
            // Warm-up, reported as its own row: in the first minutes under load the JIT compilers take a third of
            // the services' CPU (JFR, docs/benchmarks.md). The scenarios below measure the steady state.
            System.out.println("bench: warming up");
            String warmUpScenario = "contemplating N=4, warm-up (first 90 s at 20 rps)";
            Row warmUp = mesh(mesh, warmUpScenario, n4, 20, seconds(90, 10));
            Row warmUpBaseline = baseline(mesh, warmUpScenario, n4, 20, seconds(10, 3));
            report.add(warmUp);
            report.add(warmUpBaseline);
            report.hops("contemplating N=4, first 90 s at 20 rps", hopsOf(mesh, warmUp.run()));
            compiling("contemplating N=4, first 90 s at 20 rps", warmUp);
            settle(mesh, n4, warmUp.rate(), warmUpBaseline.latency().p99());
            if (wanted("single")) {
                // Low rate: the mesh's own latency with the CPUs mostly idle, and where it goes, hop by hop.
                Row row = compare(mesh, "contemplating N=4, low rate", n4, 2, seconds(30, 15), seconds(15, 8));
                report.hops("contemplating N=4 at 2 rps", hopsOf(mesh, row.run()));
            }
            if (wanted("instant")) {
                compare(mesh, "instant", new Job(INSTANT, 1, null, false), 20, seconds(20, 8), seconds(20, 8));
            }
            if (wanted("contemplating")) {
                kafkaFloor(mesh, "contemplating N=4", 20, seconds(30, 8), 1);
                kafkaFloor(mesh, "contemplating N=4", 20, seconds(30, 8), KafkaFloor.CHAIN);
                kafkaFloorAsContemplating(mesh, "contemplating N=4", 4, 20, seconds(30, 8));
                if (spans != null) {
                    spans.clear();
                }
                Row row = mesh(mesh, "contemplating N=4", n4, 20, seconds(120, 15));
                double[] meshCalls = simulatorCallMs(mesh.simulatorUrl());
                Row baselineRow = baseline(mesh, "contemplating N=4", n4, 20, seconds(30, 8));
                double[] baselineCalls = simulatorCallMs(mesh.simulatorUrl());
                report.add(row);
                report.add(baselineRow);
                Map<String, HopTimeline.Trace> traces = tracesOf(mesh, row.run());
                report.hops("contemplating N=4 at 20 rps", HopTimeline.summarize(traces.values()));
                gcOnSlowest(mesh, "contemplating N=4 at 20 rps", row.run(), traces);
                compiling("contemplating N=4 at 20 rps", row);
                beyondOwnTime("contemplating N=4 at 20 rps", row.run(), traces, baselineRow, meshCalls, baselineCalls);
                if (spans != null) {
                    // After the baseline's row: by then the services have exported the last requests' spans.
                    report.spanPath("contemplating N=4 at 20 rps", SpanPath.summarize(spans.spans()));
                    spans.clear();
                }
                // The floor at the rate it runs beside the mesh, first with the services idle: at 5 rps a hop comes
                // more on its own than at 20, and could cost more (docs/benchmarks.md, rounds twenty-one and -three).
                kafkaFloorAsContemplating(mesh, "the floor beside the mesh", 4, 5, seconds(60, 8));
                kafkaFloorBesideMesh(mesh, "contemplating N=4", n4, 4, 20, 5, seconds(60, 8));
                compare(mesh, "contemplating N=8", new Job(CONTEMPLATING, 8, null, false), 20, seconds(30, 8),
                        seconds(30, 8));
            }
            if (wanted("vote")) {
                compare(mesh, "vote N=5, early stop", new Job(CONTEMPLATING, 5, "vote", false), 20,
                        seconds(30, 8), seconds(30, 8));
            }
            if (wanted("streaming")) {
                streaming(mesh);
            }
            if (wanted("sustained")) {
                sustained(mesh);
            }
            if (wanted("sweep")) {
                sweep(mesh);
            }
        }
    }

    /**
     * The broker runs with the full JIT, as in production, unless {@code -Dconclave.kafka.jvm.options} says
     * otherwise (tests start it C1-only, which starts faster but costs a third more broker CPU under load); either
     * way it logs its collections for {@link GcPauses}.
     */
    private void brokerOptions() {
        String options = System.getProperty(KafkaBroker.JVM_OPTIONS_PROPERTY);
        if (options == null || options.isBlank()) {
            options = String.join(" ", KafkaBroker.THROUGHPUT_JVM_OPTIONS);
        }
        report.setting("broker JVM options: " + options.trim());
        System.setProperty(KafkaBroker.JVM_OPTIONS_PROPERTY, options.trim() + " " + GcPauses.logOption(gcLogs));
    }

    /**
     * With {@code -Dbench.jfr=<dir>}, every service records a JFR profile into that directory (one file per PID,
     * written at exit); {@code jfr print --events jdk.ExecutionSample} reads it. {@code -Dbench.jvmOptions="..."}
     * adds JVM options to every service, {@code -Dbench.jvmOptions.<service>="..."} to that one after all others
     * (so {@code -Xms} there replaces the defaults'); both are recorded in the results. Every service logs its
     * collections for {@link GcPauses}.
     */
    private Mesh.Options withProfiler(Mesh.Options options) {
        List<String> jvm = new ArrayList<>(options.jvmOptions());
        jvm.add(GcPauses.logOption(gcLogs));
        String dir = System.getProperty("bench.jfr", "");
        if (!dir.isBlank()) {
            jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + dir + "/");
        }
        String extra = System.getProperty("bench.jvmOptions", "");
        if (!extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
            report.setting("services' extra JVM options: " + extra.trim());
        }
        options = options.withJvmOptions(jvm);
        for (String service : Mesh.SERVICES) {
            String own = System.getProperty("bench.jvmOptions." + service, "");
            if (!own.isBlank()) {
                options = options.withServiceJvmOptions(service, List.of(own.trim().split("\\s+")));
                report.setting(service + "'s extra JVM options, after all others: " + own.trim());
            }
        }
        return options;
    }

    /**
     * With {@code -Dbench.otel=off}, the services run with the OpenTelemetry SDK disabled (no trace context on the
     * records, no spans), to measure what tracing costs; with {@code -Dbench.spans=on} they sample every request and
     * export its spans to {@link #spans}, for {@link SpanPath}; {@code -Dbench.env=NAME=value,...} gives every service
     * these environment variables, {@code -Dbench.env.<service>=NAME=value,...} only that one (for instance
     * {@code -Dbench.env.aggregator-service=JAVA_TOOL_OPTIONS=-XX:NewSize=32m}). All are recorded in the results.
     */
    private Mesh.Options withServiceEnv(Mesh.Options options) {
        Map<String, String> env = new LinkedHashMap<>();
        if ("off".equals(System.getProperty("bench.otel", ""))) {
            env.put("QUARKUS_OTEL_SDK_DISABLED", "true");
        }
        if (spans != null) {
            env.put("QUARKUS_OTEL_TRACES_SAMPLER_ARG", "1.0");
            env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", spans.endpoint());
            env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
        }
        env.putAll(environment(System.getProperty("bench.env", "")));
        if (!env.isEmpty()) {
            report.setting("every service's environment adds " + env);
            for (String service : Mesh.SERVICES) {
                options = options.withServiceEnv(service, env);
            }
        }
        for (String service : Mesh.SERVICES) {
            Map<String, String> own = environment(System.getProperty("bench.env." + service, ""));
            if (!own.isEmpty()) {
                report.setting(service + "'s environment adds " + own);
                options = options.withServiceEnv(service, own);
            }
        }
        return options;
    }

    /** {@code NAME=value,...}: the value runs from the first {@code =} to the next comma. */
    private static Map<String, String> environment(String settings) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String setting : settings.split(",")) {
            if (!setting.isBlank()) {
                env.put(setting.substring(0, setting.indexOf('=')).trim(),
                        setting.substring(setting.indexOf('=') + 1).trim());
            }
        }
        return env;
    }

    /**
     * The gateway's per-tenant limits (600 a minute, 64 in flight) would turn the load into 429s. With
     * {@code -Dbench.pollTimeout=1000} the planner's and gateway's consumers get that poll timeout back (the value
     * before the fix in docs/benchmarks.md), to compare both on the same build.
     */
    private static Mesh.Options withGatewayLimits(Mesh.Options options) {
        Map<String, String> gateway = new java.util.HashMap<>(Map.of("CONCLAVE_GATEWAY_LIMITS_REQUESTS_PER_MINUTE",
                "1000000", "CONCLAVE_GATEWAY_LIMITS_IN_FLIGHT", "100000", "CONCLAVE_GATEWAY_MAX_PENDING", "100000"));
        String pollTimeout = System.getProperty("bench.pollTimeout", "");
        if (!pollTimeout.isBlank()) {
            gateway.put("MP_MESSAGING_INCOMING_RESULTS_POLL_TIMEOUT", pollTimeout);
            gateway.put("MP_MESSAGING_INCOMING_PROGRESS_POLL_TIMEOUT", pollTimeout);
            options = options.withServiceEnv("planner-service",
                    Map.of("MP_MESSAGING_INCOMING_REQUESTS_POLL_TIMEOUT", pollTimeout));
        }
        return options.withServiceEnv("gateway-service", gateway);
    }

    private Row compare(Mesh mesh, String scenario, Job job, double rate, Duration meshTime, Duration baselineTime)
            throws Exception {
        Row meshRow = mesh(mesh, scenario, job, rate, meshTime);
        Row baselineRow = baseline(mesh, scenario, job, rate, baselineTime);
        report.add(meshRow);
        report.add(baselineRow);
        return meshRow;
    }

    /**
     * After the cold phase, keeps the load of the warm-up on until the mesh is in its steady state: two 15 s windows
     * in a row whose p99 is within {@link #SETTLED_MARGIN_MS} of the baseline's (at least 30 s, at most 3 min).
     * A warm-up that built a long backlog left the services slower for minutes afterwards (round four: the worker
     * used 15–19 ms of CPU per request in the next scenario, against 10–14 after a quick warm-up), so without this
     * the first scenario after it measured that (docs/benchmarks.md, "The cold mesh"). The windows are not rows;
     * the note says how long it took.
     */
    private void settle(Mesh mesh, Job job, double rate, double baselineP99) throws Exception {
        Duration length = seconds(15, 5);
        List<String> windows = new ArrayList<>();
        int settledInARow = 0;
        int window = 0;
        int maxWindows = quick ? 2 : 12;
        while (settledInARow < 2 && window < maxWindows) {
            Row row = mesh(mesh, "settling", job, rate, length);
            window++;
            windows.add(String.format(Locale.ROOT, "%.0f / %.0f", row.latency().p50(), row.latency().p99()));
            settledInARow = row.latency().p99() <= baselineP99 + SETTLED_MARGIN_MS ? settledInARow + 1 : 0;
        }
        report.note(String.format(Locale.ROOT, "after the warm-up the mesh %s at %.0f rps in %d windows of %d s "
                + "(mesh p50 / p99 ms per window: %s; settled = two windows in a row with p99 within %d ms of the "
                + "baseline's %.0f ms)", settledInARow == 2 ? "settled" : "did NOT settle", rate, window,
                length.toSeconds(), String.join(", ", windows), SETTLED_MARGIN_MS, baselineP99));
    }

    private Row mesh(Mesh mesh, String scenario, Job job, double rate, Duration duration) throws Exception {
        ProcessSampler sampler = new ProcessSampler(meshPids(mesh));
        Run run = OpenLoad.run(rate, duration, DRAIN,
                i -> clients.mesh(mesh.gatewayUrl(), job, questions.incrementAndGet()));
        return Row.of(scenario, "mesh", rate, run, sampler.stop(), job.stream());
    }

    /**
     * Bare Kafka hops on the mesh's broker ({@link KafkaFloor}), at the rate of the scenario that follows, with the
     * services idle: through seven in a row, what the mesh's overhead in that scenario cannot go below on this
     * machine; through one, what one of its hops costs when it comes on its own.
     */
    private void kafkaFloor(Mesh mesh, String scenario, double rate, Duration duration, int hops) throws Exception {
        try (KafkaFloor floor = new KafkaFloor(mesh.bootstrapServers(), hops)) {
            Row row = kafkaFloorRow(mesh, scenario, "bare Kafka, " + hops + (hops == 1 ? " hop" : " hops"), rate,
                    duration, i -> floor.send(), UnaryOperator.identity());
            report.note(hops == 1
                    ? String.format(Locale.ROOT, "1 bare Kafka hop on its own on the mesh's broker at %.0f rps (what "
                            + "one of the mesh's hops costs when it comes alone, measured before %s): p50 %.1f ms, p99 "
                            + "%.1f ms", rate, scenario, row.latency().p50(), row.latency().p99())
                    : String.format(Locale.ROOT, "%d bare Kafka hops in a row on the mesh's broker at %.0f rps (the "
                            + "floor of the mesh's overhead, measured before %s): p50 %.1f ms (%.1f ms a hop), p99 "
                            + "%.1f ms", hops, rate, scenario, row.latency().p50(), row.latency().p50() / hops,
                            row.latency().p99()));
        }
    }

    /**
     * Bare Kafka hops on the mesh's broker laid out as a contemplating request's are in the mesh
     * ({@link ContemplatingFloor}), with the services idle and pauses as long as the simulator's calls, left out of
     * the latency: what the mesh's overhead cannot go below with its six hops coming as they do.
     */
    private void kafkaFloorAsContemplating(Mesh mesh, String scenario, int agents, double rate, Duration duration)
            throws Exception {
        try (ContemplatingFloor floor = new ContemplatingFloor(mesh.bootstrapServers(), agents, SLOW_SIM_CALL)) {
            Row row = kafkaFloorRow(mesh, scenario, "bare Kafka, " + ContemplatingFloor.HOPS + " hops as the mesh's",
                    rate, duration, i -> floor.send(), floor::withoutPauses);
            report.note(String.format(Locale.ROOT, "%d bare Kafka hops on the mesh's broker at %.0f rps laid out as a "
                    + "contemplating request's with %d agents (four consumers and producers of their own as the "
                    + "services, the mesh's partitions and keys; the request, %d sub-tasks, a pause of %d ms as for "
                    + "the agents' LLM calls, their partials, the synthesis sub-task after the last, the same pause, "
                    + "its outcome, the result; the pauses left out; measured before %s): p50 %.1f ms (%.1f ms a "
                    + "hop), p99 %.1f ms", ContemplatingFloor.HOPS, rate, agents, agents, SLOW_SIM_CALL.toMillis(),
                    scenario, row.latency().p50(), row.latency().p50() / ContemplatingFloor.HOPS,
                    row.latency().p99()));
        }
    }

    /**
     * The same floor while the mesh takes {@code job} at {@code meshRate}: what bare clients laid out as the mesh's
     * take on a machine as busy as the mesh makes it. Against the floor with the services idle, it tells what the
     * mesh's load costs every hop (the cores its threads take, the broker's work for it) from what the services' code
     * and clients add to a hop. The floor runs at {@code floorRate}, lower than the mesh's, so that it adds little
     * load of its own. The mesh's requests in that time are not reported, only checked for errors.
     */
    private void kafkaFloorBesideMesh(Mesh mesh, String scenario, Job job, int agents, double meshRate,
            double floorRate, Duration duration) throws Exception {
        ExecutorService meshLoad = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-mesh-beside-floor"));
        try (ContemplatingFloor floor = new ContemplatingFloor(mesh.bootstrapServers(), agents, SLOW_SIM_CALL)) {
            // From before the floor's unmeasured 5 s to after its measured time, so that the mesh is busy throughout.
            Future<Run> meshRun = meshLoad.submit(() -> OpenLoad.run(meshRate, duration.plusSeconds(7), DRAIN,
                    i -> clients.mesh(mesh.gatewayUrl(), job, questions.incrementAndGet())));
            Thread.sleep(1_000);
            Row row = kafkaFloorRow(mesh, scenario, "bare Kafka, " + ContemplatingFloor.HOPS
                    + " hops as the mesh's, beside the mesh", floorRate, duration, i -> floor.send(),
                    floor::withoutPauses);
            Run beside = meshRun.get();
            report.note(String.format(Locale.ROOT, "the same %d bare Kafka hops laid out as the mesh's at %.0f rps, "
                    + "while the mesh took %s at %.0f rps (%d of its %d requests failed; the floor's relays and the "
                    + "mesh's load share the load generator): p50 %.1f ms (%.1f ms a hop), p99 %.1f ms",
                    ContemplatingFloor.HOPS, floorRate, scenario, meshRate, beside.errorCount(),
                    beside.samples().size(), row.latency().p50(), row.latency().p50() / ContemplatingFloor.HOPS,
                    row.latency().p99()));
        } finally {
            meshLoad.shutdown();
        }
    }

    /**
     * Runs a floor at {@code rate} for {@code duration} after 5 s that are not measured (the clients' first
     * records: metadata, connections, the JIT), and adds its row: the broker's and the load generator's CPU.
     *
     * @param measured the run as it is reported (a floor with pauses takes them out)
     */
    private Row kafkaFloorRow(Mesh mesh, String scenario, String system, double rate, Duration duration,
            OpenLoad.Call send, UnaryOperator<Run> measured) throws Exception {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("kafka", mesh.brokerPid());
        pids.put("load", ProcessHandle.current().pid());
        OpenLoad.run(rate, Duration.ofSeconds(5), DRAIN, send);
        ProcessSampler sampler = new ProcessSampler(pids);
        Run run = measured.apply(OpenLoad.run(rate, duration, DRAIN, send));
        Row row = Row.of(scenario, system, rate, run, sampler.stop(), false);
        report.add(row);
        return row;
    }

    private Row baseline(Mesh mesh, String scenario, Job job, double rate, Duration duration) throws Exception {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("sim", mesh.simulator().pid());
        pids.put("load", ProcessHandle.current().pid());
        ProcessSampler sampler = new ProcessSampler(pids);
        Run run = OpenLoad.run(rate, duration, DRAIN,
                i -> clients.baseline(mesh.simulatorUrl(), job, questions.incrementAndGet()));
        return Row.of(scenario, "baseline", rate, run, sampler.stop(), job.stream());
    }

    /**
     * With {@code -Dbench.nice=-10}, gives every thread of the benchmark's processes that nice value, so that builds
     * running next to it on a shared machine take less of its CPU (threads created later inherit it). Recorded in
     * the results; off by default.
     */
    private void prioritize(Map<String, Long> pids) {
        String nice = System.getProperty("bench.nice", "");
        if (nice.isBlank()) {
            return;
        }
        for (long pid : pids.values()) {
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                List<String> command = new ArrayList<>(List.of("renice", "-n", nice, "-p"));
                tasks.forEach(task -> command.add(task.getFileName().toString()));
                commandOutput(command.toArray(String[]::new));
            } catch (IOException gone) {
                // the process ended
            }
        }
        report.niceness(nice);
    }

    private static Map<String, Long> meshPids(Mesh mesh) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (ManagedProcess process : mesh.processes()) {
            if (process.isAlive()) {
                pids.put(Report.shortName(process.name()), process.pid());
            }
        }
        pids.put("kafka", mesh.brokerPid());
        pids.put("sim", mesh.simulator().pid());
        pids.put("load", ProcessHandle.current().pid());
        return pids;
    }

    private Map<String, long[]> hopsOf(Mesh mesh, Run run) {
        return HopTimeline.summarize(tracesOf(mesh, run).values());
    }

    /**
     * How much of each process's CPU in a row went to its JIT compiler threads: code that a request runs once
     * reaches HotSpot's optimizing compiler only after thousands of calls, minutes at 20 rps, and a row measured
     * while it compiles measures slower code on fewer free cores (docs/benchmarks.md, round nineteen).
     */
    private void compiling(String scenario, Row row) {
        report.note("JIT compiler threads' CPU in " + scenario + " (seconds, of the process's CPU): "
                + row.usage().entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%s %.1f of %.1f", e.getKey(),
                                e.getValue().compilerSeconds(), e.getValue().cpuSeconds()))
                        .collect(Collectors.joining(", ")));
    }

    /**
     * Which processes' collections fell on the critical path (outside the model) of the 1% of requests with the
     * most own time, against all requests ({@link GcPauses#onSlowest}), as a note.
     */
    private void gcOnSlowest(Mesh mesh, String scenario, Run run, Map<String, HopTimeline.Trace> traces) {
        Map<String, Long> ownMs = new LinkedHashMap<>();
        for (OpenLoad.Sample sample : run.samples()) {
            if (sample.outcome().ok() && sample.outcome().overheadMs() >= 0) {
                ownMs.put(sample.outcome().correlationId(), sample.outcome().overheadMs());
            }
        }
        Map<String, List<long[]>> legs = new LinkedHashMap<>();
        traces.forEach((id, trace) -> legs.put(id, trace.legs()));
        report.note("collections on the critical path outside the model, " + scenario + ": "
                + GcPauses.onSlowest(0.01, ownMs, legs, GcPauses.read(gcLogs, meshPids(mesh))));
    }

    /**
     * What the overhead is made of besides the mesh's own time, as a note: the LLM time on the critical path as the
     * workers timed it (each result's {@code llmMs}) against the baseline's whole request, which is nothing but the
     * same calls; the simulator's own time per call in each run; and each request's latency beyond its own time and
     * its LLM time, the client's HTTP legs to and from the gateway.
     */
    private void beyondOwnTime(String scenario, Run run, Map<String, HopTimeline.Trace> traces, Row baseline,
            double[] meshCalls, double[] baselineCalls) {
        long[] llm = HopTimeline.criticalPathLlmMs(traces.values());
        long[] legs = HopTimeline.clientLegsMs(traces, run.samples());
        if (llm.length == 0 || legs.length == 0) {
            return;
        }
        double median = Percentiles.rank(llm, 50);
        report.note(String.format(Locale.ROOT, "LLM calls in %s: on the critical path as the workers timed them "
                + "(slowest agent and synthesis, each result's llmMs) p50 %.0f ms over %d requests, the baseline's "
                + "whole request (the same calls from the load generator) p50 %.1f ms: %.1f ms of the overhead's "
                + "median is the calls taking longer in the mesh run; the simulator's own time per call (arrival to "
                + "last byte, mean of its last %.0f completed calls in each run) %.2f ms in the mesh run, %.2f ms in "
                + "the baseline's; the client's HTTP legs to and from the gateway (each request's latency minus its "
                + "own time and its LLM time, whole ms) p50 %d, p99 %d ms", scenario, median, llm.length,
                baseline.latency().p50(), median - baseline.latency().p50(), Math.min(meshCalls[1], baselineCalls[1]),
                meshCalls[0], baselineCalls[0], Percentiles.rank(legs, 50), Percentiles.rank(legs, 99)));
    }

    /** The mean of the simulator's last completed calls' own times (arrival to last byte, ms), and their count. */
    private static double[] simulatorCallMs(String simulatorUrl) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(simulatorUrl + "/sim/stats?recent=1000")).build(), HttpResponse.BodyHandlers.ofString());
        long total = 0;
        int count = 0;
        for (JsonNode call : LoadClients.JSON.readTree(response.body()).path("recent")) {
            if ("completed".equalsIgnoreCase(call.path("outcome").asText())) {
                total += call.path("endedAtMs").asLong() - call.path("startedAtMs").asLong();
                count++;
            }
        }
        return new double[] {count == 0 ? Double.NaN : (double) total / count, count};
    }

    private Map<String, HopTimeline.Trace> tracesOf(Mesh mesh, Run run) {
        Map<String, Long> clientDone = new LinkedHashMap<>();
        for (OpenLoad.Sample sample : run.samples()) {
            if (sample.outcome().ok() && sample.outcome().correlationId() != null) {
                clientDone.put(sample.outcome().correlationId(), run.epochMs(sample.endNanos()));
            }
        }
        long from = run.epochMs(run.startNanos()) - 1000;
        long to = run.epochMs(run.endNanos()) + 1000;
        return HopTimeline.read(mesh.bootstrapServers(), from, to, clientDone);
    }

    /** Streaming time to first token, if the gateway streams yet (issue 3); otherwise reported as not available. */
    private void streaming(Mesh mesh) throws Exception {
        Job job = new Job(CONTEMPLATING, 4, null, true);
        OpenLoad.Outcome probe = clients.mesh(mesh.gatewayUrl(), job, questions.incrementAndGet()).get();
        if (!probe.ok()) {
            report.note("streaming time to first token: not available — the gateway answered `stream: true` with "
                    + probe.error());
            return;
        }
        compare(mesh, "streaming N=4 (TTFT)", job, 10, seconds(30, 8), seconds(30, 8));
    }

    /**
     * The throughput target held for a minute rather than for one of the sweep's 15 s steps: the fast simulator,
     * N = 8, 100 rps, after 10 s at 25 rps. One unbroken load whose first 30 s are reported as the jump to that
     * rate, and the minute after them as the sustained rate (the target's row). Until round twelve the minute began
     * with the jump, so its p99 was the jump's whenever the services' heaps grew there (docs/benchmarks.md, round
     * thirteen); the other scenarios, too, are measured after their rate has settled. Before the sweep, so that it
     * does not follow the sweep's saturated step.
     */
    private void sustained(Mesh mesh) throws Exception {
        configureSimulator(mesh.simulatorUrl(), FAST_SIM);
        Job job = new Job(CONTEMPLATING, 8, null, false);
        mesh(mesh, "warm-up", job, 25, seconds(10, 3));
        String jumpScenario = "fast N=8, first 30 s at 100 rps (jump from 25)";
        String sustainedScenario = "fast N=8, 100 rps for 60 s";
        Duration jump = seconds(30, 5);
        int jumpRequests = OpenLoad.requestCount(SUSTAINED_RATE, jump);
        Map<String, Long> pids = meshPids(mesh);
        ProcessSampler[] sampler = {new ProcessSampler(pids)};
        List<Map<String, Usage>> usage = new ArrayList<>();
        CallsInFlight inFlight = new CallsInFlight(mesh.simulatorUrl());
        Run run = OpenLoad.run(SUSTAINED_RATE, jump.plus(seconds(60, 10)), DRAIN, i -> {
            if (i == jumpRequests) {
                usage.add(stopped(sampler[0]));
                sampler[0] = new ProcessSampler(pids);
            }
            return clients.mesh(mesh.gatewayUrl(), job, questions.incrementAndGet());
        });
        usage.add(sampler[0].stop());
        List<CallsInFlight.Reading> readings = inFlight.stop();
        List<Run> parts = run.splitAt(jump);
        Row jumpRow = Row.of(jumpScenario, "mesh", SUSTAINED_RATE, parts.get(0), usage.get(0), false);
        Row row = Row.of(sustainedScenario, "mesh", SUSTAINED_RATE, parts.get(1), usage.get(1), false);
        report.add(jumpRow);
        report.add(baseline(mesh, jumpScenario, job, SUSTAINED_RATE, seconds(10, 3)));
        report.add(row);
        report.add(baseline(mesh, sustainedScenario, job, SUSTAINED_RATE, seconds(30, 5)));
        report.hops("fast N=8, first 30 s at 100 rps", hopsOf(mesh, jumpRow.run()));
        report.hops("fast N=8 at 100 rps", hopsOf(mesh, row.run()));
        Duration window = seconds(15, 5);
        List<Percentiles> windows = run.windows(window);
        int[] peaks = CallsInFlight.peaks(readings, run.startNanos(), window, windows.size());
        List<String> perWindow = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            perWindow.add(String.format(Locale.ROOT, "%.0f / %.0f (%d)", windows.get(w).p50(), windows.get(w).p99(),
                    peaks[w]));
        }
        report.note(String.format(Locale.ROOT, "fast N=8 at 100 rps, the jump's 30 s and then the minute: mesh p50 / "
                + "p99 ms per %d s window of intended send time (most simulator calls in flight in it, read every "
                + "%d ms, against the worker's %d concurrent calls): %s", window.toSeconds(),
                CallsInFlight.INTERVAL.toMillis(), workerConcurrency, String.join(", ", perWindow)));
        awaitIdle(mesh);
    }

    /** The sampler's usage so far; called on the load's thread, between two sends. */
    private static Map<String, Usage> stopped(ProcessSampler sampler) {
        try {
            return sampler.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Latency against offered load with the fast simulator and N = 8, up to saturation; feeds the plot. */
    private void sweep(Mesh mesh) throws Exception {
        configureSimulator(mesh.simulatorUrl(), FAST_SIM);
        Job job = new Job(CONTEMPLATING, 8, null, false);
        double[] rates = quick ? new double[] {25, 100} : new double[] {10, 25, 50, 75, 100, 150, 200, 250, 300};
        mesh(mesh, "warm-up", job, 25, seconds(10, 3));
        boolean meshSaturated = false;
        for (double rate : rates) {
            if (!meshSaturated) {
                Row row = mesh(mesh, "sweep fast N=8", job, rate, seconds(15, 6));
                report.add(row);
                report.sweep(row);
                meshSaturated = row.saturated();
                awaitIdle(mesh);
            }
            Row base = baseline(mesh, "sweep fast N=8", job, rate, seconds(10, 4));
            report.add(base);
            report.sweep(base);
        }
    }

    /** Sub-task throughput with 1, 2 and 3 worker processes of K concurrent calls each, against a 2 s simulator. */
    private void scaling() throws Exception {
        Map<String, String> slow = Map.of("SIM_TTFT_MS", "2000", "SIM_TOKEN_MS", "1", "SIM_TOKENS", "64");
        Mesh.Options options = withGatewayLimits(Mesh.Options.defaults()).withWorkers(3).withSimulatorEnv(slow)
                .withServiceEnv("agent-worker-service", Map.of("CONCLAVE_WORKER_CONCURRENCY",
                        Integer.toString(SCALING_K)));
        try (Mesh mesh = Mesh.start(apps, options)) {
            prioritize(meshPids(mesh));
            mesh.stop("agent-worker-service-2");
            mesh.stop("agent-worker-service-3");
            double perWorker = SCALING_K / 2.064;
            Duration duration = seconds(30, 15);
            for (int workers = 1; workers <= 3; workers++) {
                if (workers > 1) {
                    mesh.restart("agent-worker-service-" + workers);
                    prioritize(meshPids(mesh));
                    Thread.sleep(3000);
                }
                // 20% over the workers' combined capacity, so every worker always has a backlog; 5 calls a request.
                double rate = Math.round(1.2 * workers * perWorker / 5 * 10) / 10.0;
                Job job = new Job(CONTEMPLATING, 4, null, false);
                SubtaskCounter counter = new SubtaskCounter(mesh.simulatorUrl(), duration);
                Row row = mesh(mesh, "scaling " + workers + " worker" + (workers > 1 ? "s" : "") + ", K=" + SCALING_K,
                        job, rate, duration);
                report.add(row);
                report.scaling(workers, rate, counter.perSecond());
                awaitIdle(mesh);
            }
        }
    }

    /**
     * Waits until the simulator has had no call in flight and no new call for 2 s: a saturated mesh keeps working
     * off its backlog from the topics after the clients gave up, and the next row must not share the machine with
     * it. At most 3 minutes; a row that still does gets a note.
     */
    private void awaitIdle(Mesh mesh) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long calls = simStats(mesh.simulatorUrl()).path("calls").asLong();
        while (System.nanoTime() < deadline) {
            Thread.sleep(2000);
            JsonNode stats = simStats(mesh.simulatorUrl());
            long now = stats.path("calls").asLong();
            if (now == calls && stats.path("inFlight").asInt() == 0 && stats.path("queued").asInt() == 0) {
                return;
            }
            calls = now;
        }
        report.note("the mesh was still working off its backlog 3 minutes after the load stopped; the next row"
                + " shared the machine with it");
    }

    /** The simulator's counters, without its call records: cheap enough to read several times a second. */
    static JsonNode simStats(String simulatorUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(simulatorUrl + "/sim/stats?recent=0")).build(), HttpResponse.BodyHandlers.ofString());
        return LoadClients.JSON.readTree(response.body());
    }

    private static void configureSimulator(String simulatorUrl, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(simulatorUrl + "/sim/config"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("simulator refused " + json + ": " + response.body());
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /**
     * Counts the simulator's completed calls between a third of the run and its end, so start-up and the ramp are
     * left out of the sub-task throughput.
     */
    private static final class SubtaskCounter {
        private final Thread thread;
        private volatile double perSecond = Double.NaN;

        SubtaskCounter(String simulatorUrl, Duration run) {
            thread = new Thread(() -> {
                try {
                    Thread.sleep(run.toMillis() / 3);
                    long t0 = System.nanoTime();
                    long c0 = simStats(simulatorUrl).path("completed").asLong();
                    Thread.sleep(run.toMillis() * 2 / 3);
                    long c1 = simStats(simulatorUrl).path("completed").asLong();
                    perSecond = (c1 - c0) / ((System.nanoTime() - t0) / 1e9);
                } catch (Exception e) {
                    System.out.println("bench: sub-task counter failed: " + e);
                }
            }, "bench-subtask-counter");
            thread.setDaemon(true);
            thread.start();
        }

        double perSecond() throws InterruptedException {
            thread.join();
            return perSecond;
        }
    }

    /** One scenario on one system: its load, latencies and the processes' CPU and memory. */
    record Row(String scenario, String system, double rate, Run run, Percentiles latency, Percentiles ttft,
            Map<String, Usage> usage, Map<String, Integer> errors, Instant at) {

        static Row of(String scenario, String system, double rate, Run run, Map<String, Usage> usage,
                boolean streaming) {
            Percentiles ttft = null;
            if (streaming) {
                ttft = Percentiles.ofNanos(run.samples().stream().filter(s -> s.outcome().ok())
                        .mapToLong(OpenLoad.Sample::firstByteLatencyNanos).toArray());
            }
            Map<String, Integer> errors = new LinkedHashMap<>();
            run.samples().stream().filter(s -> !s.outcome().ok())
                    .forEach(s -> errors.merge(s.outcome().error(), 1, Integer::sum));
            Row row = new Row(scenario, system, rate, run, Percentiles.ofNanos(run.latencies(true)), ttft, usage,
                    errors, Instant.now());
            System.out.println("bench: " + Report.line(row));
            return row;
        }

        /** Past saturation: more than 1% errors, under 90% of the offered rate served, or p99 above 5 s. */
        boolean saturated() {
            return run.errorCount() > run.samples().size() / 100 || run.throughput() < 0.9 * rate
                    || latency.p99() > 5000;
        }
    }

    static List<String> commandOutput(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>(new String(process.getInputStream().readAllBytes()).lines().toList());
            process.waitFor();
            return lines;
        } catch (Exception e) {
            return List.of("(" + e.getMessage() + ")");
        }
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            return "";
        }
    }
}
