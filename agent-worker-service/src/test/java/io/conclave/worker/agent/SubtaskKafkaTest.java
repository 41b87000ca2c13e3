package io.conclave.worker.agent;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.contracts.AgentSpec;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.Mode;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskKind;
import io.conclave.contracts.Topics;
import io.conclave.kafka.KafkaBrokerTestResource;
import io.conclave.simulator.LlmSimulator;
import io.conclave.worker.SimulatorControl;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker against a real KRaft broker (child JVM, see {@code kafka-runtime}) and the LLM simulator: what the
 * in-memory wiring test cannot show — keys on the wire, an unreadable record going to the dead-letter topic
 * without stopping the channel, offsets committed once outcomes are written, and Kafka in the readiness check.
 */
@QuarkusTest
@TestProfile(SubtaskKafkaTest.RealBroker.class)
class SubtaskKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(45);

    /** A real broker instead of the in-memory connector, with Kafka's own health check on. */
    public static final class RealBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.kafka.health.enabled", "true");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBrokerTestResource.class),
                    new TestResourceEntry(LlmSimulatorResource.class));
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    ObjectMapper mapper;

    LlmSimulator simulator;

    @BeforeEach
    void resetSimulator() {
        SimulatorControl control = new SimulatorControl(simulator);
        control.configure("{\"ttft_ms\":30,\"token_ms\":1,\"tokens\":48,\"fail_next\":[]}");
        control.reset();
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextSubtaskIsStillAnswered() throws Exception {
        String poisonKey = "poison-" + UUID.randomUUID();
        byte[] poison = "{not json".getBytes(StandardCharsets.UTF_8);
        SubtaskAssigned task = agentTask();
        RecordMetadata poisonSent;
        RecordMetadata taskSent;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            poisonSent = producer.send(new ProducerRecord<>(Topics.SUBTASKS, poisonKey, poison)).get();
            taskSent = producer.send(new ProducerRecord<>(Topics.SUBTASKS, task.subtaskId(),
                    mapper.writeValueAsBytes(task))).get();
        }

        ConsumerRecord<String, byte[]> outcome = first(Topics.JOIN, r -> task.correlationId().equals(r.key()));
        JsonNode join = mapper.readTree(outcome.value());
        assertEquals("SubtaskCompleted", join.path("type").asText(), join.toString());
        assertEquals(task.subtaskId(), join.path("subtaskId").asText());

        ConsumerRecord<String, byte[]> dead = first(Topics.SUBTASKS + Topics.DLQ_SUFFIX,
                r -> poisonKey.equals(r.key()));
        assertArrayEquals(poison, dead.value(), "the unreadable bytes, as they came");
        assertArrayEquals(poison, header(dead, "deserialization-failure-data"));
        assertEquals(Topics.SUBTASKS, new String(header(dead, "dead-letter-topic"), StandardCharsets.UTF_8));
        String reason = new String(header(dead, "dead-letter-reason"), StandardCharsets.UTF_8);
        assertTrue(reason.startsWith("record value is not a SubtaskAssigned: "), reason);

        List<String> progress = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            all(Topics.PROGRESS, r -> task.correlationId().equals(r.key()))
                    .forEach(r -> progress.add(readKind(r.value())));
            return progress.contains("agent_finished");
        });
        assertEquals(List.of("agent_started", "agent_finished"), progress.stream().distinct().toList());

        // Both records are committed, the dead-lettered one too (it is not redelivered after a rebalance).
        await().atMost(WAIT).until(() -> committedPast(poisonSent) && committedPast(taskSent));
    }

    @Test
    void aRequestsFourAgentsRunAtOnceInOneWorker() throws Exception {
        SimulatorControl control = new SimulatorControl(simulator);
        control.configure("{\"ttft_ms\":1000}");
        String correlationId = UUID.randomUUID().toString();
        List<SubtaskAssigned> agents = List.of("a1", "a2", "a3", "a4").stream()
                .map(agentId -> agentTask(correlationId, agentId)).toList();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (SubtaskAssigned task : agents) {
                producer.send(new ProducerRecord<>(Topics.SUBTASKS, task.subtaskId(), mapper.writeValueAsBytes(task)));
            }
            producer.flush();
        }

        await().atMost(WAIT).until(() -> all(Topics.JOIN, r -> correlationId.equals(r.key())).size() == 4);
        assertEquals(4, control.stats().path("peakConcurrency").asInt(), control.stats().toString());
    }

    @Test
    void readinessIncludesKafka() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("Kafka connection health check"))
                .body(containsString("subtasks"));
    }

    /** Whether the worker's group has committed beyond this record. */
    private boolean committedPast(RecordMetadata record) throws Exception {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("conclave-agent-worker")
                    .partitionsToOffsetAndMetadata().get().get(partition);
            return committed != null && committed.offset() > record.offset();
        }
    }

    private ConsumerRecord<String, byte[]> first(String topic, Predicate<ConsumerRecord<String, byte[]>> match) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            found.addAll(all(topic, match));
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private List<ConsumerRecord<String, byte[]>> all(String topic, Predicate<ConsumerRecord<String, byte[]>> match) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (match.test(r)) {
                        records.add(r);
                    }
                });
            }
        }
        return records;
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private String readKind(byte[] value) {
        try {
            return mapper.readTree(value).path("kind").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : header.value();
    }

    private static SubtaskAssigned agentTask() {
        return agentTask(UUID.randomUUID().toString(), "a1");
    }

    private static SubtaskAssigned agentTask(String correlationId, String agentId) {
        String subtaskId = correlationId + "." + agentId;
        AgentSpec agent = new AgentSpec(agentId, subtaskId, "solver", "You are the solver.", "default", null, 0.3, 0);
        return new SubtaskAssigned(correlationId, UUID.randomUUID().toString(), Instant.now(),
                ConclaveEvent.SCHEMA_VERSION, subtaskId, SubtaskKind.AGENT, Mode.CONTEMPLATING, agent,
                List.of(new ChatMessage("user", "What is 6 times 7?")), null, false, Instant.now().plusSeconds(60));
    }
}
