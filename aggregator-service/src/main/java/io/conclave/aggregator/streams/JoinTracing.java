package io.conclave.aggregator.streams;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Carries a request's trace through the join by hand, since Kafka Streams has no OpenTelemetry instrumentation of
 * its own: the trace context comes from the consumed record's {@code traceparent} header (or, at a deadline, from
 * the one the join stored with its plan), the join's work is a span in it, and every record the join publishes
 * gets that span's context in its headers.
 */
final class JoinTracing {

    static final String TRACEPARENT = "traceparent";

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    JoinTracing(OpenTelemetry telemetry) {
        this.tracer = telemetry.getTracer("conclave-aggregator");
        this.propagator = telemetry.getPropagators().getTextMapPropagator();
    }

    /** The context in a record's headers, or the root context when it carries none. */
    Context fromHeaders(Headers headers) {
        return propagator.extract(Context.root(), headers, HEADERS);
    }

    /** The context a join stored with its plan ({@link #traceparent}), or the root context. */
    Context fromTraceparent(String traceparent) {
        if (traceparent == null) {
            return Context.root();
        }
        return propagator.extract(Context.root(), Map.of(TRACEPARENT, traceparent), MAP);
    }

    /** The {@code traceparent} header of a record, to store with its join; null when it has none. */
    static String traceparent(Headers headers) {
        Header header = headers.lastHeader(TRACEPARENT);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static boolean traced(Context context) {
        return Span.fromContext(context).getSpanContext().isValid();
    }

    Span start(String name, Context parent, String correlationId) {
        return tracer.spanBuilder(name)
                .setParent(parent)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute("conclave.correlation_id", correlationId)
                .startSpan();
    }

    /** Headers carrying the span's context, for a record the join publishes. */
    Headers headers(Span span) {
        Headers headers = new RecordHeaders();
        propagator.inject(Context.root().with(span), headers,
                (carrier, key, value) -> carrier.add(key, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            carrier.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            Header header = carrier == null ? null : carrier.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
}
