package io.conclave.worker.agent;

import static io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler.DESERIALIZATION_FAILURE_CAUSE;
import static io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler.DESERIALIZATION_FAILURE_DATA;
import static io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler.DESERIALIZATION_FAILURE_DESERIALIZER;
import static io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON;
import static io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler.DESERIALIZATION_FAILURE_TOPIC;

import io.conclave.contracts.SubtaskAssigned;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * Reads {@code conclave.subtasks} with Quarkus' ObjectMapper, and turns an unreadable value into a null payload
 * whose headers say why and carry the raw bytes.
 *
 * <p>Why not SmallRye's own handling ({@code fail-on-deserialization-failure=false})? In 4.33 it marks such a
 * record {@code deserialization-failure-dlq} and the source sends it to the dead-letter topic before the commit
 * strategy has registered it, so the {@code throttled} strategy never commits its offset: when it is the last
 * record of its partition it is dead-lettered again after every rebalance or restart. A null payload instead
 * reaches {@link SubtaskConsumer}, which nacks it like any poison record: dead-lettered once, then committed.
 * The headers are SmallRye's own names, so the dead-letter producer writes the original bytes as the value.
 */
public final class SubtaskAssignedDeserializer extends ObjectMapperDeserializer<SubtaskAssigned> {

    public SubtaskAssignedDeserializer() {
        super(SubtaskAssigned.class);
    }

    @Override
    public SubtaskAssigned deserialize(String topic, Headers headers, byte[] data) {
        try {
            return deserialize(topic, data);
        } catch (RuntimeException e) {
            if (headers == null) {
                throw e;
            }
            headers.add(DESERIALIZATION_FAILURE_DESERIALIZER, utf8(getClass().getName()));
            headers.add(DESERIALIZATION_FAILURE_TOPIC, utf8(topic));
            headers.add(DESERIALIZATION_FAILURE_REASON, utf8(message(e)));
            if (e.getCause() != null) {
                headers.add(DESERIALIZATION_FAILURE_CAUSE, utf8(message(e.getCause())));
            }
            if (data != null) {
                headers.add(DESERIALIZATION_FAILURE_DATA, data);
            }
            return null;
        }
    }

    private static String message(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
