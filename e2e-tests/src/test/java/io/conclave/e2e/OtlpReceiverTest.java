package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The receiver's protobuf decoding on a request written field by field as an OTLP exporter writes it: the span's
 * ids, name, kind, attributes, its resource's service name, and its start and end, which are fixed64 fields
 * (little-endian) and which the benchmark's span path ({@code io.conclave.bench.SpanPath}) subtracts.
 */
class OtlpReceiverTest {

    private static final long START = 1_764_000_000_123_456_789L;
    private static final long END = START + 2_345_678;

    @Test
    void decodesASpanWithItsStartAndEnd() {
        byte[] span = concat(
                bytes(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}),
                bytes(2, new byte[] {(byte) 0xaa, 2, 3, 4, 5, 6, 7, 8}),
                bytes(4, new byte[] {9, 9, 9, 9, 9, 9, 9, 9}),
                bytes(5, "conclave.requests publish".getBytes(StandardCharsets.UTF_8)),
                varint(6, 4),
                fixed64(7, START),
                fixed64(8, END),
                bytes(9, keyValue("messaging.system", "kafka")));
        byte[] resource = bytes(1, keyValue("service.name", "gateway-service"));
        byte[] request = bytes(1, concat(bytes(1, resource), bytes(2, bytes(2, span))));

        List<OtlpReceiver.ReceivedSpan> spans = OtlpReceiver.decodeRequest(request);

        assertEquals(List.of(new OtlpReceiver.ReceivedSpan("gateway-service", "0102030405060708090a0b0c0d0e0f10",
                "aa02030405060708", "0909090909090909", "conclave.requests publish", 4, START, END,
                Map.of("messaging.system", "kafka"))), spans);
    }

    private static byte[] keyValue(String key, String value) {
        return concat(bytes(1, key.getBytes(StandardCharsets.UTF_8)),
                bytes(2, bytes(1, value.getBytes(StandardCharsets.UTF_8))));
    }

    private static byte[] bytes(int number, byte[] value) {
        return concat(rawVarint((long) number << 3 | 2), rawVarint(value.length), value);
    }

    private static byte[] varint(int number, long value) {
        return concat(rawVarint((long) number << 3), rawVarint(value));
    }

    private static byte[] fixed64(int number, long value) {
        byte[] little = new byte[8];
        for (int i = 0; i < 8; i++) {
            little[i] = (byte) (value >>> (8 * i));
        }
        return concat(rawVarint((long) number << 3 | 1), little);
    }

    private static byte[] rawVarint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
