package io.conclave.bench;

import io.conclave.e2e.OtlpReceiver.ReceivedSpan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where a request's time goes at sub-millisecond grain, from its spans (the benchmark's {@code -Dbench.spans=on}):
 * the records' timestamps ({@link HopTimeline}) say how long a hop took in whole milliseconds; the spans say how much
 * of it was inside a service (a consumer span's start to the producer span of the record it sends on) and how much
 * between two services (a producer span's start to the consumer span's start in the next: the Kafka clients, the
 * broker and the wake-ups of the threads between them).
 *
 * <p>A request's critical path is found by its parent links, not by guessing: the gateway's span for the result it
 * consumed is a child of the aggregator's span that published it, whose parent is the worker's span that sent the
 * synthesis outcome, and so on back to the gateway's HTTP span. The agent on the path is therefore the one whose
 * partial completed the join. An LLM call (a client span under a span on the path) is a step of its own, so that the
 * steps around it are the services' time only.
 */
final class SpanPath {

    static final int SERVER = 2;
    static final int CLIENT = 3;
    static final int CONSUMER = 5;

    private SpanPath() {
    }

    /** One step of the path, in milliseconds over the requests that had the most common path. */
    record Step(String name, double p50Ms, double p99Ms, int requests) {
    }

    /** The steps of the most common path among these spans' traces; empty when no trace has a whole path. */
    static List<Step> summarize(Collection<ReceivedSpan> spans) {
        Map<String, List<ReceivedSpan>> traces = spans.stream().collect(Collectors.groupingBy(ReceivedSpan::traceId));
        Map<List<String>, List<long[]>> byShape = new HashMap<>();
        for (List<ReceivedSpan> trace : traces.values()) {
            List<Milestone> path = path(trace);
            if (path.size() < 2) {
                continue;
            }
            List<String> shape = new ArrayList<>();
            long[] durations = new long[path.size() - 1];
            for (int i = 1; i < path.size(); i++) {
                shape.add(path.get(i - 1).name() + " → " + path.get(i).name());
                durations[i - 1] = path.get(i).nanos() - path.get(i - 1).nanos();
            }
            byShape.computeIfAbsent(shape, k -> new ArrayList<>()).add(durations);
        }
        return byShape.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
                .map(e -> steps(e.getKey(), e.getValue())).orElse(List.of());
    }

    private static List<Step> steps(List<String> shape, List<long[]> requests) {
        List<Step> steps = new ArrayList<>();
        long[] total = new long[requests.size()];
        for (int i = 0; i < shape.size(); i++) {
            long[] values = new long[requests.size()];
            for (int r = 0; r < requests.size(); r++) {
                values[r] = requests.get(r)[i];
                total[r] += values[r];
            }
            steps.add(step(shape.get(i), values));
        }
        steps.add(step("whole request, HTTP span", total));
        return steps;
    }

    private static Step step(String name, long[] nanos) {
        Percentiles p = Percentiles.ofNanos(nanos);
        return new Step(name, p.p50(), p.p99(), nanos.length);
    }

    /** A point on the path: a span's start or end, or an LLM call's, named for the step table. */
    record Milestone(String name, long nanos) {
    }

    /**
     * The trace's critical path as milestones in time order: the HTTP span's start, the start of every span from it
     * down to the gateway's result consumer span (each LLM call under one of them as its start and end), and the HTTP
     * span's end. Empty when the trace has no such consumer span or a parent is missing.
     */
    static List<Milestone> path(List<ReceivedSpan> trace) {
        Map<String, ReceivedSpan> byId = trace.stream()
                .collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity(), (a, b) -> a));
        ReceivedSpan last = trace.stream()
                .filter(s -> s.kind() == CONSUMER && s.service().equals("gateway-service"))
                .min(Comparator.comparingLong(ReceivedSpan::startNanos)).orElse(null);
        if (last == null) {
            return List.of();
        }
        List<ReceivedSpan> chain = new ArrayList<>(List.of(last));
        ReceivedSpan span = last;
        while (!span.root()) {
            span = byId.get(span.parentSpanId());
            if (span == null) {
                return List.of();
            }
            chain.add(0, span);
        }
        ReceivedSpan http = chain.get(0);
        if (http.kind() != SERVER) {
            return List.of();
        }
        List<Milestone> path = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            ReceivedSpan step = chain.get(i);
            path.add(new Milestone(label(step), step.startNanos()));
            ReceivedSpan next = i + 1 < chain.size() ? chain.get(i + 1) : null;
            List<ReceivedSpan> calls = llmCalls(trace, step, next);
            if (!calls.isEmpty()) {
                // A model call and the HTTP call inside it are both children of the worker's span: one call.
                path.add(new Milestone(label(calls.get(0)) + " sent", calls.get(0).startNanos()));
                path.add(new Milestone(label(calls.get(0)) + " answered",
                        calls.stream().mapToLong(ReceivedSpan::endNanos).max().getAsLong()));
            }
        }
        path.add(new Milestone(label(http) + " end", http.endNanos()));
        return path;
    }

    /** The client spans right under {@code span} that end before the next span on the path starts, earliest first. */
    private static List<ReceivedSpan> llmCalls(List<ReceivedSpan> trace, ReceivedSpan span, ReceivedSpan next) {
        return trace.stream().filter(s -> s.kind() == CLIENT && s.parentSpanId().equals(span.spanId()))
                .filter(s -> next == null || s.endNanos() <= next.startNanos())
                .sorted(Comparator.comparingLong(ReceivedSpan::startNanos)).toList();
    }

    /** The service's short name and the span's name without what varies per request (a role, a model). */
    static String label(ReceivedSpan span) {
        String name = span.name();
        if (span.kind() == CLIENT || name.startsWith("conclave.subtask ")) {
            int space = name.indexOf(' ');
            name = space < 0 ? name : name.substring(0, space);
        }
        return Report.shortName(span.service()) + " " + name;
    }
}
