package io.conclave.planner.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Kafka client settings DESIGN.md §4 requires, read from the packaged
 * {@code application.properties} (the defaults measured here are weaker: acks=1, no idempotence,
 * linger.ms=5, and a channel that dies on a slow record).
 */
class KafkaSettingsTest {

    private static final String OUT = "mp.messaging.outgoing.";
    private static final String IN = "mp.messaging.incoming.";

    private final Properties properties = load();

    private static Properties load() {
        Properties loaded = new Properties();
        try (InputStream in = KafkaSettingsTest.class.getResourceAsStream("/application.properties")) {
            loaded.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return loaded;
    }

    @Test
    void channelsUseTheSharedTopicNames() {
        assertEquals(Topics.REQUESTS, value(IN + Channels.REQUESTS + ".topic"));
        assertEquals(Topics.JOIN, value(OUT + Channels.JOIN + ".topic"));
        assertEquals(Topics.SUBTASKS, value(OUT + Channels.SUBTASKS + ".topic"));
        assertEquals(Topics.PROGRESS, value(OUT + Channels.PROGRESS + ".topic"));
    }

    @Test
    void everyOutgoingChannelWaitsForAllReplicasWithoutDelayOrDuplicates() {
        Set<String> outgoing = channels(OUT);
        assertEquals(Set.of(Channels.JOIN, Channels.SUBTASKS, Channels.PROGRESS), outgoing);
        for (String channel : outgoing) {
            String prefix = OUT + channel + ".";
            assertEquals("smallrye-kafka", value(prefix + "connector"), channel);
            assertEquals("all", value(prefix + "acks"), channel);
            assertEquals("true", value(prefix + "enable.idempotence"), channel);
            assertEquals("0", value(prefix + "linger.ms"), channel);
            assertEquals("org.apache.kafka.common.serialization.StringSerializer", value(prefix + "key.serializer"),
                    channel);
        }
    }

    @Test
    void requestsGoToADeadLetterTopicAndNeverStopTheChannel() {
        String prefix = IN + Channels.REQUESTS + ".";
        assertEquals(Set.of(Channels.REQUESTS), channels(IN));
        assertEquals("smallrye-kafka", value(prefix + "connector"));
        assertEquals("dead-letter-queue", value(prefix + "failure-strategy"));
        assertEquals(Topics.REQUESTS + Topics.DLQ_SUFFIX, value(prefix + "dead-letter-queue.topic"));
        assertEquals("600000", value(prefix + "throttled.unprocessed-record-max-age.ms"));
        assertEquals("earliest", value(prefix + "auto.offset.reset"));
        assertEquals("conclave-planner", value(prefix + "group.id"));
        assertEquals("false", value(prefix + "fail-on-deserialization-failure"));
    }

    @Test
    void theDeadLetterProducerIsAsSafeAsTheOthers() {
        String prefix = IN + Channels.REQUESTS + ".dead-letter-queue.";
        assertEquals("all", value(prefix + "acks"));
        assertEquals("true", value(prefix + "enable.idempotence"));
        assertEquals("0", value(prefix + "linger.ms"));
    }

    @Test
    void theEffectiveKafkaConfigIsLoggedAndDevServicesAreOff() {
        assertEquals("INFO", value("quarkus.log.category.\"org.apache.kafka.common.config\".level"));
        assertEquals("false", value("quarkus.kafka.devservices.enabled"));
        assertEquals("8081", value("quarkus.http.port"));
    }

    @Test
    void noProfileWeakensTheseSettings() {
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%") && key.contains("mp.messaging.")) {
                assertFalse(key.matches(".*\\.(acks|enable\\.idempotence|linger\\.ms|failure-strategy)$"), key);
            }
        }
    }

    private Set<String> channels(String prefix) {
        Set<String> channels = new TreeSet<>();
        for (Map.Entry<Object, Object> entry : properties.entrySet()) {
            String key = (String) entry.getKey();
            if (key.startsWith(prefix) && key.endsWith(".connector")) {
                channels.add(key.substring(prefix.length(), key.length() - ".connector".length()));
            }
        }
        return channels;
    }

    private String value(String key) {
        String value = properties.getProperty(key);
        assertTrue(value != null, key + " is not set");
        return value.strip();
    }
}
