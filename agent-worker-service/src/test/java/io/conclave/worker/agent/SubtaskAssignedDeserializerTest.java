package io.conclave.worker.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.Topics;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class SubtaskAssignedDeserializerTest {

    private final SubtaskAssignedDeserializer deserializer = new SubtaskAssignedDeserializer();

    @Test
    void anUnreadableValueBecomesANullPayloadWithSmallRyesFailureHeaders() {
        RecordHeaders headers = new RecordHeaders();
        byte[] poison = "{not json".getBytes(StandardCharsets.UTF_8);

        SubtaskAssigned task = deserializer.deserialize(Topics.SUBTASKS, headers, poison);

        assertNull(task);
        assertArrayEquals(poison, headers.lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_DATA).value());
        assertEquals(SubtaskAssignedDeserializer.class.getName(), text(headers,
                DeserializationFailureHandler.DESERIALIZATION_FAILURE_DESERIALIZER));
        assertEquals(Topics.SUBTASKS, text(headers, DeserializationFailureHandler.DESERIALIZATION_FAILURE_TOPIC));
        assertTrue(!text(headers, DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON).isBlank());
        assertNull(headers.lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_DLQ),
                "not the marker that makes the source dead-letter it before the commit strategy sees it");
    }

    /** Without Quarkus' ObjectMapper (no Instant support): the full record is read in SubtaskWiringTest. */
    @Test
    void aReadableValueIsASubtask() {
        String json = "{\"correlationId\":\"c-1\",\"subtaskId\":\"c-1.a1\",\"kind\":\"agent\",\"finalReply\":false}";
        SubtaskAssigned task = deserializer.deserialize(Topics.SUBTASKS, new RecordHeaders(),
                json.getBytes(StandardCharsets.UTF_8));
        assertEquals("c-1.a1", task.subtaskId());
    }

    @Test
    void withoutHeadersTheFailureIsThrown() {
        assertThrows(RuntimeException.class,
                () -> deserializer.deserialize(Topics.SUBTASKS, "nope".getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(RecordHeaders headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
