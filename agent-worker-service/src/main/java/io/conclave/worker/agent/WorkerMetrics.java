package io.conclave.worker.agent;

import io.conclave.contracts.SubtaskKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's own meters, tagged with low-cardinality values only (kind, result, token type); LLM calls per
 * provider are counted where they are made ({@code conclave.agent.calls}). The meters of each sub-task are kept
 * by their tags: looking them up in the registry on every sub-task built their IDs and tag lists each time (2% of
 * the worker's CPU samples at 100 rps, docs/benchmarks.md).
 */
@ApplicationScoped
public class WorkerMetrics {

    static final String LATENCY = "conclave.agent.latency";
    static final String TOKENS = "conclave.agent.tokens";
    static final String TOOL_CALLS = "conclave.agent.tool.calls";

    private final MeterRegistry registry;
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final Map<String, Counter> tokenCounters = new ConcurrentHashMap<>();

    WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param result {@code completed} or {@code failed} */
    void subtask(SubtaskKind kind, String result, Duration latency) {
        latencies.computeIfAbsent(tag(kind) + '/' + result, ignored -> Timer.builder(LATENCY)
                .description("Time from taking a sub-task to its result")
                .tag("kind", tag(kind))
                .tag("result", result)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry)).record(latency);
    }

    /** @param type {@code prompt}, {@code completion} or {@code notes} */
    void tokens(SubtaskKind kind, String type, long count) {
        tokenCounters.computeIfAbsent(tag(kind) + '/' + type,
                ignored -> registry.counter(TOKENS, "kind", tag(kind), "type", type)).increment(count);
    }

    /** One tool call; tool names come from configuration (built-ins and MCP servers), so they stay few. */
    void toolCall(String tool, boolean ok, Duration latency) {
        Timer.builder(TOOL_CALLS)
                .description("Tool calls made by agents")
                .tag("tool", tool)
                .tag("result", ok ? "ok" : "error")
                .register(registry)
                .record(latency);
    }

    private static String tag(SubtaskKind kind) {
        return kind == null ? "unknown" : kind.name().toLowerCase(Locale.ROOT);
    }
}
