package io.conclave.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    private static final List<TopicSpec> TOPICS = TopicSpec.load(TopicSpec.DEFAULT_RESOURCE);

    @Test
    void startsWithConclaveTopicsDeliversRecordsAndStopsCompletely() throws Exception {
        final KafkaBroker broker = KafkaBroker.start();
        final int port = port(broker);
        final Path dataDir = broker.dataDir();
        try (broker) {
            assertTopics(broker.bootstrapServers());
            final RecordMetadata sent = produce(broker.bootstrapServers(), "conclave.requests", "k", "hello");
            assertEquals("hello", consumeAt(broker.bootstrapServers(), sent).value());
        }

        assertFalse(ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive).orElse(false), "broker process still alive");
        assertFalse(LoopbackPorts.accepts(port), "port " + port + " still open");
        assertFalse(Files.exists(dataDir), "temporary data dir not deleted");
    }

    @Test
    void restartInSameDataDirKeepsTopicsAndRecords(@TempDir final Path dataDir) throws Exception {
        final RecordMetadata sent;
        try (KafkaBroker first = KafkaBroker.start(dataDir)) {
            sent = produce(first.bootstrapServers(), "conclave.results", "k", "kept");
        }
        assertTrue(Files.exists(dataDir.resolve("logs/meta.properties")), "data dir removed on close");

        try (KafkaBroker second = KafkaBroker.start(dataDir)) {
            assertTopics(second.bootstrapServers());
            assertEquals("kept", consumeAt(second.bootstrapServers(), sent).value());
            assertTrue(Files.readString(second.logFile()).contains("already formatted"));
        }
    }

    @Test
    void failedStartupReportsTheBrokerLog(@TempDir final Path dataDir) throws Exception {
        Files.createDirectories(dataDir.resolve("logs"));
        Files.writeString(dataDir.resolve("logs/meta.properties"), "not a kafka meta.properties\n");

        final IllegalStateException failure = assertThrows(IllegalStateException.class, () -> KafkaBroker.start(dataDir));

        assertTrue(failure.getMessage().contains("exited with status 1"), failure.getMessage());
        assertTrue(failure.getMessage().contains("already formatted"), failure.getMessage());
    }

    @Test
    void launcherNamesTheBrokerMainClass() {
        assertEquals(BrokerMain.class.getName(), KafkaBroker.MAIN_CLASS);
    }

    private static int port(final KafkaBroker broker) {
        final String bootstrap = broker.bootstrapServers();
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    private static void assertTopics(final String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            final Map<String, TopicDescription> described = admin
                    .describeTopics(TOPICS.stream().map(TopicSpec::name).toList())
                    .allTopicNames().get();
            final Map<String, Integer> partitions = described.values().stream()
                    .collect(Collectors.toMap(TopicDescription::name, d -> d.partitions().size()));
            assertEquals(TOPICS.stream().collect(Collectors.toMap(TopicSpec::name, TopicSpec::partitions)), partitions);
        }
    }

    private static RecordMetadata produce(final String bootstrap, final String topic, final String key, final String value)
            throws Exception {
        final Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Reads the record at the offset the producer reported; assign() skips the group protocol. */
    private static ConsumerRecord<String, String> consumeAt(final String bootstrap, final RecordMetadata sent) {
        final Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        final TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, sent.offset());
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() == sent.offset()) {
                        return record;
                    }
                }
            }
            throw new AssertionError("No record at " + partition + "@" + sent.offset());
        }
    }
}
