package io.conclave.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for an OpenTelemetry collector: an OTLP/HTTP endpoint ({@code POST /v1/traces}, protobuf) on a
 * free loopback port that keeps every span it receives. It decodes the few fields the tests look at straight
 * from the protobuf wire format (field numbers of {@code opentelemetry/proto/trace/v1/trace.proto}), so the test
 * needs no generated classes.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One received span, with its resource's {@code service.name}; its start and end in epoch nanoseconds. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
            int kind, long startNanos, long endNanos, Map<String, String> attributes) {
        public boolean root() {
            return parentSpanId.isEmpty();
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                byte[] bytes = body.readAllBytes();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
                }
                spans.addAll(decodeRequest(bytes));
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** Forgets the spans received so far (the benchmark keeps only a measured scenario's). */
    public void clear() {
        spans.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** ExportTraceServiceRequest: 1 = ResourceSpans. */
    static List<ReceivedSpan> decodeRequest(byte[] bytes) {
        List<ReceivedSpan> out = new ArrayList<>();
        for (Field field : fields(bytes)) {
            if (field.number == 1) {
                resourceSpans(field.bytes, out);
            }
        }
        return out;
    }

    /** ResourceSpans: 1 = Resource (1 = attributes), 2 = ScopeSpans (2 = spans). */
    private static void resourceSpans(byte[] bytes, List<ReceivedSpan> out) {
        String service = "";
        List<byte[]> scopes = new ArrayList<>();
        for (Field field : fields(bytes)) {
            if (field.number == 1) {
                Map<String, String> resource = attributes(field.bytes, 1);
                service = resource.getOrDefault("service.name", "");
            } else if (field.number == 2) {
                scopes.add(field.bytes);
            }
        }
        for (byte[] scope : scopes) {
            for (Field field : fields(scope)) {
                if (field.number == 2) {
                    out.add(span(service, field.bytes));
                }
            }
        }
    }

    /** Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 7 start and 8 end (fixed64), 9 attributes. */
    private static ReceivedSpan span(String service, byte[] bytes) {
        HexFormat hex = HexFormat.of();
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        long start = 0;
        long end = 0;
        for (Field field : fields(bytes)) {
            switch (field.number) {
                case 1 -> traceId = hex.formatHex(field.bytes);
                case 2 -> spanId = hex.formatHex(field.bytes);
                case 4 -> parent = hex.formatHex(field.bytes);
                case 5 -> name = new String(field.bytes, java.nio.charset.StandardCharsets.UTF_8);
                case 6 -> kind = (int) field.varint;
                case 7 -> start = field.varint;
                case 8 -> end = field.varint;
                default -> { }
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parent, name, kind, start, end, attributes(bytes, 9));
    }

    /** The KeyValue fields numbered {@code number} (1 = key, 2 = AnyValue: 1 string, 2 bool, 3 int). */
    private static Map<String, String> attributes(byte[] message, int number) {
        Map<String, String> attributes = new HashMap<>();
        for (Field field : fields(message)) {
            if (field.number != number) {
                continue;
            }
            String key = null;
            String value = null;
            for (Field kv : fields(field.bytes)) {
                if (kv.number == 1) {
                    key = new String(kv.bytes, java.nio.charset.StandardCharsets.UTF_8);
                } else if (kv.number == 2) {
                    for (Field any : fields(kv.bytes)) {
                        value = switch (any.number) {
                            case 1 -> new String(any.bytes, java.nio.charset.StandardCharsets.UTF_8);
                            case 2 -> String.valueOf(any.varint != 0);
                            case 3 -> String.valueOf(any.varint);
                            default -> value;
                        };
                    }
                }
            }
            if (key != null) {
                attributes.put(key, value);
            }
        }
        return attributes;
    }

    /** A field's value: a varint or fixed64 in {@code varint}, a length-delimited one in {@code bytes}. */
    private record Field(int number, long varint, byte[] bytes) {
    }

    /** Splits a protobuf message into its top-level fields (varint, fixed64, length-delimited, fixed32). */
    private static List<Field> fields(byte[] bytes) {
        List<Field> fields = new ArrayList<>();
        int[] at = {0};
        while (at[0] < bytes.length) {
            long tag = varint(bytes, at);
            int number = (int) (tag >>> 3);
            int type = (int) (tag & 7);
            switch (type) {
                case 0 -> fields.add(new Field(number, varint(bytes, at), null));
                case 1 -> {
                    long value = 0;
                    for (int i = 7; i >= 0; i--) {
                        value = (value << 8) | (bytes[at[0] + i] & 0xffL);
                    }
                    at[0] += 8;
                    fields.add(new Field(number, value, null));
                }
                case 2 -> {
                    int length = (int) varint(bytes, at);
                    byte[] value = java.util.Arrays.copyOfRange(bytes, at[0], at[0] + length);
                    at[0] += length;
                    fields.add(new Field(number, 0, value));
                }
                case 5 -> at[0] += 4;
                default -> throw new IllegalArgumentException("unsupported wire type " + type);
            }
        }
        return fields;
    }

    private static long varint(byte[] bytes, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed varint");
    }
}
