package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 5, point 5: unreadable records on {@code conclave.subtasks} land in {@code conclave.subtasks.dlq} with the
 * reason, and requests keep passing — on the partitions the poison records share with them too.
 */
@ExtendWith(MeshExtension.class)
class SubtaskDeadLetterE2ETest {

    private final Mesh mesh;

    SubtaskDeadLetterE2ETest(Mesh mesh) {
        this.mesh = mesh;
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWhileRequestsPass() throws Exception {
        new Simulator(mesh).reset(null);
        String marker = UUID.randomUUID().toString();
        List<String> poisonKeys = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            for (int i = 0; i < 16; i++) { // one key per partition, more or less: every partition gets poison
                String key = "poison-" + marker + "-" + i;
                poisonKeys.add(key);
                String value = i % 2 == 0 ? "{not json " + marker : "{\"subtaskId\": null, \"marker\": \"" + marker + "\"}";
                producer.send(new ProducerRecord<>(Topics.SUBTASKS, key, value)).get();
            }
        }
        List<CompletableFuture<JsonHttp.Reply>> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(JsonHttp.postAsync(mesh.gatewayUrl() + "/v1/chat/completions", """
                    {"model": "conclave-contemplating", "messages": [{"role": "user", "content": "Poison test %d"}],
                     "conclave": {"agents": 4, "deadline_ms": 30000}}""".formatted(i)));
        }
        for (CompletableFuture<JsonHttp.Reply> request : requests) {
            JsonHttp.Reply reply = JsonHttp.join(request);
            assertEquals(200, reply.status(), reply.body().toString());
            assertEquals("complete", reply.body().at("/conclave/status").asText(), reply.body().toString());
        }

        Map<String, ConsumerRecord<String, String>> dead = deadLetters(poisonKeys, Duration.ofSeconds(30));
        assertEquals(poisonKeys.size(), dead.size(), "every poison record is in the DLQ: " + dead.keySet());
        ConsumerRecord<String, String> unreadable = dead.get(poisonKeys.get(0));
        assertTrue(unreadable.value().contains("{not json " + marker), "the original bytes: " + unreadable.value());
        String reason = header(unreadable, "dead-letter-reason");
        assertTrue(reason.contains("not a SubtaskAssigned"), reason);
        String unaddressed = header(dead.get(poisonKeys.get(1)), "dead-letter-reason");
        assertTrue(unaddressed.contains("no correlationId or subtaskId"), unaddressed);
        assertNotNull(header(unreadable, "dead-letter-topic"));
    }

    private Map<String, ConsumerRecord<String, String>> deadLetters(List<String> keys, Duration within) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-check-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Map<String, ConsumerRecord<String, String>> found = new java.util.HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(Topics.SUBTASKS + Topics.DLQ_SUFFIX));
            long until = System.currentTimeMillis() + within.toMillis();
            while (found.size() < keys.size() && System.currentTimeMillis() < until) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (keys.contains(record.key())) {
                        found.put(record.key(), record);
                    }
                }
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }
}
