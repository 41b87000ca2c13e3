package io.conclave.worker.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conclave.contracts.SubtaskKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters kept per tag set count into the meter of their own tags, as a registry lookup per call did. */
class WorkerMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerMetrics metrics = new WorkerMetrics(registry);

    @Test
    void eachSubtaskIsTimedUnderItsKindAndResult() {
        metrics.subtask(SubtaskKind.AGENT, "completed", Duration.ofMillis(20));
        metrics.subtask(SubtaskKind.AGENT, "completed", Duration.ofMillis(40));
        metrics.subtask(SubtaskKind.AGENT, "failed", Duration.ofMillis(30));
        metrics.subtask(SubtaskKind.SYNTHESIS, "completed", Duration.ofMillis(50));
        metrics.subtask(null, "completed", Duration.ofMillis(10));

        assertEquals(2, latencyCount("agent", "completed"));
        assertEquals(60, registry.get(WorkerMetrics.LATENCY).tags("kind", "agent", "result", "completed").timer()
                .totalTime(TimeUnit.MILLISECONDS));
        assertEquals(1, latencyCount("agent", "failed"));
        assertEquals(1, latencyCount("synthesis", "completed"));
        assertEquals(1, latencyCount("unknown", "completed"));
        assertEquals(4, registry.get(WorkerMetrics.LATENCY).timers().size());
    }

    @Test
    void tokensAddUpUnderTheirKindAndType() {
        metrics.tokens(SubtaskKind.AGENT, "prompt", 100);
        metrics.tokens(SubtaskKind.AGENT, "prompt", 50);
        metrics.tokens(SubtaskKind.AGENT, "completion", 64);
        metrics.tokens(SubtaskKind.SYNTHESIS, "prompt", 7);

        assertEquals(150, tokens("agent", "prompt"));
        assertEquals(64, tokens("agent", "completion"));
        assertEquals(7, tokens("synthesis", "prompt"));
    }

    private long latencyCount(String kind, String result) {
        return registry.get(WorkerMetrics.LATENCY).tags("kind", kind, "result", result).timer().count();
    }

    private double tokens(String kind, String type) {
        return registry.get(WorkerMetrics.TOKENS).tags("kind", kind, "type", type).counter().count();
    }
}
