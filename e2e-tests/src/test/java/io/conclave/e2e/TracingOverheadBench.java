package io.conclave.e2e;

import io.conclave.contracts.Headers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What tracing costs per request (issue 6): the same sequential requests against three meshes — OpenTelemetry's SDK
 * disabled (no propagation at all), the default (trace context propagated, nothing sampled or exported), and every
 * request sampled and exported over OTLP/HTTP — reporting the gateway's overhead header, the client's latency and
 * the services' CPU time. Not part of the default test run: {@code -Dtest=TracingOverheadBench}.
 */
class TracingOverheadBench {

    private static final int WARMUP = 10;
    private static final int REQUESTS = 40;

    @Test
    void compareTracingModes() throws Exception {
        List<String> report = new ArrayList<>();
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            report.add(run("sdk disabled", Map.of("QUARKUS_OTEL_SDK_DISABLED", "true")));
            report.add(run("default (propagate, ratio 0)", Map.of()));
            report.add(run("sampled + OTLP export", Map.of(
                    "QUARKUS_OTEL_TRACES_SAMPLER_ARG", "1.0",
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.endpoint(),
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf")));
        }
        System.out.println("\nTRACING OVERHEAD (" + REQUESTS + " sequential contemplating requests, 3 agents)");
        report.forEach(System.out::println);
    }

    private static String run(String label, Map<String, String> env) throws Exception {
        Mesh.Options options = Mesh.Options.defaults();
        for (String service : Mesh.SERVICES) {
            options = options.withServiceEnv(service, env);
        }
        try (Mesh mesh = Mesh.start(options)) {
            String body = """
                    {"model": "conclave-contemplating", "messages": [{"role": "user", "content": "Is 1009 prime?"}],
                     "conclave": {"agents": 3, "deadline_ms": 30000}}""";
            for (int i = 0; i < WARMUP; i++) {
                JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions", body);
            }
            Map<String, Long> cpuBefore = cpu(mesh);
            List<Long> overhead = new ArrayList<>();
            List<Long> latency = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                JsonHttp.Reply reply = JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions", body);
                if (reply.status() != 200) {
                    throw new AssertionError(label + ": " + reply.body());
                }
                overhead.add(Long.parseLong(reply.header(Headers.OVERHEAD_MS)));
                latency.add(reply.millis());
            }
            Map<String, Long> cpuAfter = cpu(mesh);
            long cpuMs = 0;
            for (Map.Entry<String, Long> entry : cpuAfter.entrySet()) {
                cpuMs += entry.getValue() - cpuBefore.getOrDefault(entry.getKey(), 0L);
            }
            return String.format("%-30s overhead ms p50 %d p95 %d | latency ms p50 %d p95 %d | services CPU %.1f ms/request",
                    label, pct(overhead, 50), pct(overhead, 95), pct(latency, 50), pct(latency, 95),
                    (double) cpuMs / REQUESTS);
        }
    }

    private static Map<String, Long> cpu(Mesh mesh) {
        Map<String, Long> cpu = new HashMap<>();
        for (ManagedProcess process : mesh.processes()) {
            cpu.put(process.name(), ProcessHandle.of(process.pid())
                    .flatMap(handle -> handle.info().totalCpuDuration())
                    .map(java.time.Duration::toMillis).orElse(0L));
        }
        return cpu;
    }

    private static long pct(List<Long> values, int percentile) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
