package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.contracts.Headers;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 6 across real processes: after one contemplating request, (1) its spans in all four services share one
 * trace, exported over OTLP/HTTP to an in-test receiver, with the worker's LLM calls as spans; (2) every service's
 * {@code /q/metrics} has the request, agent, LLM-call and join series and the Kafka consumer lag; (3) with JSON
 * logs switched on, log lines are JSON objects carrying the request's correlation ID. One mesh for all three.
 */
class ObservabilityE2ETest {

    private static final int AGENTS = 3;

    private static OtlpReceiver receiver;
    private static Mesh mesh;
    private static String correlationId;

    @BeforeAll
    static void startMeshAndAsk() throws Exception {
        receiver = new OtlpReceiver();
        Map<String, String> env = Map.of(
                "QUARKUS_OTEL_TRACES_SAMPLER_ARG", "1.0",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.endpoint(),
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms",
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
        Mesh.Options options = Mesh.Options.defaults();
        for (String service : Mesh.SERVICES) {
            options = options.withServiceEnv(service, env);
        }
        // A worker logs a finished sub-task, with the request's MDC, at debug.
        options = options.withServiceEnv("agent-worker-service",
                Map.of("QUARKUS_LOG_CATEGORY__IO_CONCLAVE_WORKER_AGENT__LEVEL", "DEBUG"));
        mesh = Mesh.start(options);
        JsonHttp.Reply reply = JsonHttp.post(mesh.gatewayUrl() + "/v1/chat/completions", """
                {"model": "conclave-contemplating",
                 "messages": [{"role": "user", "content": "Is 1009 prime?"}],
                 "conclave": {"agents": %d, "deadline_ms": 30000}}""".formatted(AGENTS));
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals("complete", reply.body().at("/conclave/status").asText(), reply.body().toString());
        correlationId = reply.header(Headers.CORRELATION_ID);
        assertNotNull(correlationId);
    }

    @AfterAll
    static void stop() throws Exception {
        if (mesh != null) {
            mesh.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void oneRequestIsOneTraceAcrossAllFourServicesWithItsLlmCalls() throws Exception {
        List<OtlpReceiver.ReceivedSpan> trace = awaitTrace(spans -> services(spans).containsAll(Mesh.SERVICES)
                && llmCalls(spans) >= AGENTS + 1);
        String summary = describe(trace);

        assertEquals(new TreeSet<>(Mesh.SERVICES), services(trace), summary);
        List<OtlpReceiver.ReceivedSpan> roots = trace.stream().filter(OtlpReceiver.ReceivedSpan::root).toList();
        assertEquals(1, roots.size(), "one root: " + summary);
        assertEquals("gateway-service", roots.get(0).service(), "the trace starts at the gateway: " + summary);
        assertEquals(2, roots.get(0).kind(), "with its HTTP server span: " + summary);
        assertTrue(llmCalls(trace) >= AGENTS + 1, AGENTS + " agents and the synthesis called the LLM: " + summary);
        Set<String> spanIds = trace.stream().map(OtlpReceiver.ReceivedSpan::spanId).collect(Collectors.toSet());
        for (OtlpReceiver.ReceivedSpan span : trace) {
            assertTrue(span.root() || spanIds.contains(span.parentSpanId()),
                    "the parent of " + span.service() + " " + span.name() + " is in the trace: " + summary);
        }
        for (OtlpReceiver.ReceivedSpan llm : trace.stream().filter(s -> s.name().startsWith("chat ")).toList()) {
            assertEquals("agent-worker-service", llm.service());
            assertEquals("default", llm.attributes().get("gen_ai.provider.name"), llm.toString());
        }
        long subtasks = trace.stream().filter(s -> s.name().startsWith("conclave.subtask ")).count();
        assertEquals(AGENTS + 1, subtasks, summary);
    }

    @Test
    void everyServiceExposesItsSeriesAfterAContemplatingRequest() throws Exception {
        String gateway = metrics("gateway-service");
        assertSeries(gateway, "conclave_requests_seconds_count{", "mode=\"contemplating\"", "status=\"complete\"",
                "strategy=\"synthesize\"");
        assertSeries(gateway, "conclave_requests_seconds_bucket{", "mode=\"contemplating\"", "le=");
        assertSeries(gateway, "conclave_overhead_milliseconds_bucket{", "le=");
        assertSeries(metrics("planner-service"),
                "conclave_plans_total{", "mode=\"contemplating\"", "strategy=\"synthesize\"");

        String worker = metrics("agent-worker-service");
        assertSeries(worker, "conclave_agent_latency_seconds_bucket{", "kind=\"agent\"", "result=\"completed\"");
        assertSeries(worker, "conclave_agent_latency_seconds_count{", "kind=\"synthesis\"", "result=\"completed\"");
        assertSeries(worker, "conclave_agent_tokens_total{", "kind=\"agent\"", "type=\"completion\"");
        assertSeries(worker, "conclave_agent_calls_total{", "provider=\"default\"", "result=\"success\"");
        assertSeries(worker, "conclave_llm_latency_seconds_bucket{", "provider=\"default\"", "result=\"success\"");
        assertSeries(worker, "kafka_consumer_fetch_manager_records_lag_max{");

        String aggregator = metrics("aggregator-service");
        assertSeries(aggregator, "conclave_join_outcomes_total{result=\"complete\"} 1.0");
        assertSeries(aggregator, "conclave_join_late_total");
        assertSeries(aggregator, "kafka_consumer_fetch_manager_records_lag_max{");
        assertTrue(value(worker, "conclave_agent_latency_seconds_count{", "kind=\"agent\"") >= AGENTS, worker);
    }

    @Test
    void jsonLogLinesCarryTheCorrelationId() throws Exception {
        for (String service : List.of("agent-worker-service", "aggregator-service")) {
            String log = mesh.service(service).log();
            JsonNode line = null;
            for (String text : log.lines().filter(l -> l.startsWith("{")).toList()) {
                JsonNode json = JsonHttp.JSON.readTree(text);
                if (correlationId.equals(json.path("mdc").path("correlationId").asText())) {
                    line = json;
                    break;
                }
            }
            assertNotNull(line, service + " logged no JSON line with correlationId " + correlationId + ":\n"
                    + mesh.service(service).logTail());
            assertFalse(line.path("message").asText().isEmpty(), line.toString());
            assertFalse(line.path("mdc").path("traceId").asText().isEmpty(), "and the trace id: " + line);
        }
    }

    /** The spans of the request's trace, found by the correlation ID its sub-task and join spans carry. */
    private static List<OtlpReceiver.ReceivedSpan> awaitTrace(Predicate<List<OtlpReceiver.ReceivedSpan>> complete)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        List<OtlpReceiver.ReceivedSpan> trace = List.of();
        Set<String> traceIds = Set.of();
        while (System.currentTimeMillis() < deadline) {
            List<OtlpReceiver.ReceivedSpan> all = receiver.spans();
            traceIds = all.stream().filter(s -> correlationId.equals(s.attributes().get("conclave.correlation_id")))
                    .map(OtlpReceiver.ReceivedSpan::traceId).collect(Collectors.toCollection(TreeSet::new));
            if (traceIds.size() == 1) {
                String traceId = traceIds.iterator().next();
                trace = all.stream().filter(s -> s.traceId().equals(traceId)).toList();
                if (complete.test(trace)) {
                    // Spans still in the services' export queues (the last hops) come within a batch delay.
                    Thread.sleep(1500);
                    return receiver.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
                }
            }
            Thread.sleep(200);
        }
        assertEquals(1, traceIds.size(), "spans naming the request are in one trace: " + traceIds);
        return trace;
    }

    private static Set<String> services(List<OtlpReceiver.ReceivedSpan> spans) {
        return spans.stream().map(OtlpReceiver.ReceivedSpan::service).collect(Collectors.toCollection(TreeSet::new));
    }

    private static long llmCalls(List<OtlpReceiver.ReceivedSpan> spans) {
        return spans.stream().filter(s -> s.name().startsWith("chat ")).count();
    }

    private static String describe(List<OtlpReceiver.ReceivedSpan> spans) {
        Map<String, List<String>> byService = new HashMap<>();
        spans.forEach(s -> byService.computeIfAbsent(s.service(), k -> new java.util.ArrayList<>()).add(s.name()));
        return byService.toString();
    }

    private static String metrics(String service) throws IOException, InterruptedException {
        JsonHttp.Reply reply = JsonHttp.get(mesh.url(service) + "/q/metrics");
        assertEquals(200, reply.status(), service);
        return reply.raw().body();
    }

    /** A series line that starts with {@code prefix} and contains every one of {@code labels}. */
    private static void assertSeries(String metrics, String prefix, String... labels) {
        boolean found = metrics.lines().anyMatch(line -> line.startsWith(prefix)
                && java.util.Arrays.stream(labels).allMatch(line::contains));
        assertTrue(found, "no series " + prefix + " with " + List.of(labels) + " in:\n" + conclaveLines(metrics));
    }

    private static double value(String metrics, String prefix, String label) {
        return metrics.lines().filter(line -> line.startsWith(prefix) && line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String conclaveLines(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("conclave_") || l.startsWith("kafka_consumer_fetch"))
                .limit(80).collect(Collectors.joining("\n"));
    }
}
