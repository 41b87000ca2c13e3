package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker that tests and local runs start creates every topic the contracts name, with its dead-letter topic. */
class TopicListTest {

    @Test
    void everyContractTopicAndItsDeadLetterTopicIsCreated() throws Exception {
        Map<String, Integer> created = brokerTopics();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && !field.getName().equals("DLQ_SUFFIX")) {
                String topic = (String) field.get(null);
                assertTrue(created.containsKey(topic), topic + " is not created by kafka-runtime");
                assertTrue(created.containsKey(topic + Topics.DLQ_SUFFIX), topic + " has no dead-letter topic");
            }
        }
        assertTrue(created.get(Topics.SUBTASKS) >= 8, "enough sub-task partitions for parallel agents");
        assertEquals(created.get(Topics.REQUESTS), created.get(Topics.JOIN),
                "requests and joins are spread alike");
    }

    private static Map<String, Integer> brokerTopics() throws IOException {
        Map<String, Integer> topics = new HashMap<>();
        try (InputStream in = TopicListTest.class.getResourceAsStream("/io/conclave/kafka/conclave-topics.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 2 && !parts[0].startsWith("#")) {
                    topics.put(parts[0], Integer.parseInt(parts[1]));
                }
            }
        }
        return topics;
    }
}
