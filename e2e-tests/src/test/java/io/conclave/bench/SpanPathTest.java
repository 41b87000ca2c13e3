package io.conclave.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.e2e.OtlpReceiver.ReceivedSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The critical path read from a trace's parent links: the agent whose partial the join's span descends from is on
 * it and the other agent is not, a model call and its HTTP call count as one step, and a trace with a span missing
 * is left out rather than given a shorter path.
 */
class SpanPathTest {

    private static final int PRODUCER = 4;
    private static final int INTERNAL = 1;

    @Test
    void thePathFollowsTheParentsFromTheResultBackToTheHttpSpan() {
        List<SpanPath.Milestone> path = SpanPath.path(trace("t1", 0));

        assertEquals(List.of(
                "gw POST /v1/chat/completions",
                "gw conclave.requests publish",
                "pl conclave.requests receive",
                "pl conclave.subtasks publish",
                "wk conclave.subtasks receive",
                "wk conclave.subtask",
                "wk chat sent",
                "wk chat answered",
                "wk conclave.join publish",
                "ag conclave.join SubtaskCompleted",
                "gw conclave.results receive",
                "gw POST /v1/chat/completions end"), path.stream().map(SpanPath.Milestone::name).toList());
        assertEquals(List.of(0L, 1_000L, 3_000L, 4_000L, 9_000L, 9_100L, 10_000L, 52_000L, 53_000L, 55_000L,
                58_000L, 60_000L), path.stream().map(SpanPath.Milestone::nanos).toList(),
                "the slow agent's receive (9 µs), not the fast one's (6 µs); the call ends with its HTTP call");
    }

    @Test
    void stepsAreTheMostCommonShapesDifferencesAndATraceWithAMissingSpanIsLeftOut() {
        List<ReceivedSpan> spans = new ArrayList<>(trace("t1", 0));
        spans.addAll(trace("t2", 1_000));
        List<ReceivedSpan> broken = new ArrayList<>(trace("t3", 0));
        broken.removeIf(s -> s.name().equals("conclave.subtasks publish"));
        spans.addAll(broken);

        List<SpanPath.Step> steps = SpanPath.summarize(spans);

        assertEquals(12, steps.size(), steps.toString());
        SpanPath.Step transit = steps.get(3);
        assertEquals("pl conclave.subtasks publish → wk conclave.subtasks receive", transit.name());
        assertEquals(2, transit.requests(), "t3 has no path");
        assertEquals(0.005, transit.p50Ms(), 1e-9);
        assertEquals(0.006, transit.p99Ms(), 1e-9, "t2's slow agent is 1 µs later");
        SpanPath.Step whole = steps.get(steps.size() - 1);
        assertEquals("whole request, HTTP span", whole.name());
        assertEquals(0.060, whole.p50Ms(), 1e-9);
        assertEquals(0.061, whole.p99Ms(), 1e-9);
        assertTrue(SpanPath.path(broken).isEmpty());
    }

    /**
     * One request with two agents: the fast one (its sub-task received at 6 µs) and the slow one (at 9 µs, plus
     * {@code slowAgentDelay}), whose partial completes the join. Times in nanoseconds.
     */
    private static List<ReceivedSpan> trace(String traceId, long slowAgentDelay) {
        long d = slowAgentDelay;
        List<ReceivedSpan> t = new ArrayList<>();
        t.add(span(traceId, "gw", "http", "", "POST /v1/chat/completions", SpanPath.SERVER, 0, 60_000 + d));
        t.add(span(traceId, "gw", "req", "http", "conclave.requests publish", PRODUCER, 1_000, 1_200));
        t.add(span(traceId, "pl", "plin", "req", "conclave.requests receive", SpanPath.CONSUMER, 3_000, 3_000));
        t.add(span(traceId, "pl", "sub1", "plin", "conclave.subtasks publish", PRODUCER, 4_000, 4_100));
        t.add(span(traceId, "pl", "sub2", "plin", "conclave.subtasks publish", PRODUCER, 4_000, 4_100));
        // The fast agent: done first, so its partial is not what completes the join.
        t.add(span(traceId, "wk", "in1", "sub1", "conclave.subtasks receive", SpanPath.CONSUMER, 6_000, 6_000));
        t.add(span(traceId, "wk", "run1", "in1", "conclave.subtask skeptic", INTERNAL, 6_100, 40_000));
        t.add(span(traceId, "wk", "llm1", "run1", "chat sim-model", SpanPath.CLIENT, 7_000, 39_000));
        t.add(span(traceId, "wk", "out1", "run1", "conclave.join publish", PRODUCER, 40_000, 40_100));
        t.add(span(traceId, "ag", "join1", "out1", "conclave.join SubtaskCompleted", INTERNAL, 41_000, 41_500));
        // The slow agent, on the path.
        t.add(span(traceId, "wk", "in2", "sub2", "conclave.subtasks receive", SpanPath.CONSUMER, 9_000 + d,
                9_000 + d));
        t.add(span(traceId, "wk", "run2", "in2", "conclave.subtask analyst", INTERNAL, 9_100 + d, 53_500 + d));
        t.add(span(traceId, "wk", "llm2", "run2", "chat sim-model", SpanPath.CLIENT, 10_000 + d, 51_000 + d));
        t.add(span(traceId, "wk", "http2", "run2", "POST", SpanPath.CLIENT, 10_500 + d, 52_000 + d));
        t.add(span(traceId, "wk", "out2", "run2", "conclave.join publish", PRODUCER, 53_000 + d, 53_100 + d));
        t.add(span(traceId, "ag", "join2", "out2", "conclave.join SubtaskCompleted", INTERNAL, 55_000 + d,
                55_500 + d));
        t.add(span(traceId, "gw", "res", "join2", "conclave.results receive", SpanPath.CONSUMER, 58_000 + d,
                58_000 + d));
        return t;
    }

    private static ReceivedSpan span(String traceId, String service, String id, String parent, String name, int kind,
            long start, long end) {
        String full = switch (service) {
            case "gw" -> "gateway-service";
            case "pl" -> "planner-service";
            case "wk" -> "agent-worker-service";
            default -> "aggregator-service";
        };
        return new ReceivedSpan(full, traceId, traceId + id, parent.isEmpty() ? "" : traceId + parent, name, kind,
                start, end, Map.of());
    }
}
