package io.conclave.aggregator.streams;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns a record of {@code conclave.join} that cannot be joined into its dead-letter copy: the
 * original key, value and headers, plus the reason in the headers SmallRye's dead-letter queue
 * writes, so operators read every {@code *.dlq} topic the same way.
 */
final class DeadLetters {

    static final String REASON = "dead-letter-reason";
    static final String CAUSE = "dead-letter-cause";
    static final String EXCEPTION_CLASS_NAME = "dead-letter-exception-class-name";
    static final String TOPIC = "dead-letter-topic";
    static final String PARTITION = "dead-letter-partition";
    static final String OFFSET = "dead-letter-offset";

    private DeadLetters() {
    }

    static Record<String, byte[]> of(Record<String, byte[]> record, Optional<RecordMetadata> source, String reason,
            Throwable cause) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        add(headers, REASON, reason);
        if (cause != null) {
            add(headers, EXCEPTION_CLASS_NAME, cause.getClass().getName());
            add(headers, CAUSE, String.valueOf(cause.getMessage()));
        }
        source.ifPresent(meta -> {
            add(headers, TOPIC, meta.topic());
            add(headers, PARTITION, Integer.toString(meta.partition()));
            add(headers, OFFSET, Long.toString(meta.offset()));
        });
        return record.withHeaders(headers);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
