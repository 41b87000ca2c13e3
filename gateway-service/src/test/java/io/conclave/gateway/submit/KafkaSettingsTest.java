package io.conclave.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.Topics;
import io.conclave.gateway.Channels;
import io.conclave.gateway.reply.ResultsReplayListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        assertEquals(Topics.REQUESTS, value(OUT + Channels.REQUESTS + ".topic"));
        assertEquals(Topics.RESULTS, value(IN + Channels.RESULTS + ".topic"));
        assertEquals(Topics.PROGRESS, value(IN + Channels.PROGRESS + ".topic"));
        assertEquals(Topics.CONTROL, value(OUT + Channels.CONTROL + ".topic"));
        assertEquals(Topics.RESULTS, value(OUT + Channels.CANCELLED_RESULTS + ".topic"));
    }

    @Test
    void everyOutgoingChannelWaitsForAllReplicasWithoutDelayOrDuplicates() {
        Set<String> outgoing = channels(OUT);
        assertEquals(Set.of(Channels.REQUESTS, Channels.CONTROL, Channels.CANCELLED_RESULTS), outgoing);
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

    @ParameterizedTest
    @ValueSource(strings = {Channels.REQUESTS, Channels.CONTROL, Channels.CANCELLED_RESULTS})
    void aFailedSendIsReportedWithinSeconds(String channel) {
        String prefix = OUT + channel + ".";
        long delivery = Long.parseLong(value(prefix + "delivery.timeout.ms"));
        long request = Long.parseLong(value(prefix + "request.timeout.ms"));
        // Kafka refuses delivery.timeout.ms below linger.ms + request.timeout.ms.
        assertTrue(delivery >= request + Long.parseLong(value(prefix + "linger.ms")));
        assertTrue(delivery <= 30_000 && Long.parseLong(value(prefix + "max.block.ms")) <= 30_000);
    }

    @Test
    void everyReplicaReadsEveryResultFromTheLastHour() {
        String prefix = IN + Channels.RESULTS + ".";
        assertEquals(Set.of(Channels.RESULTS, Channels.PROGRESS), channels(IN));
        assertEquals("smallrye-kafka", value(prefix + "connector"));
        assertEquals("conclave-gateway-${quarkus.uuid}", value(prefix + "group.id"));
        assertEquals(ResultsReplayListener.NAME, value(prefix + "consumer-rebalance-listener.name"));
    }

    @Test
    void everyReplicaReadsLiveProgressInItsOwnGroup() {
        String prefix = IN + Channels.PROGRESS + ".";
        assertEquals("conclave-gateway-progress-${quarkus.uuid}", value(prefix + "group.id"));
        assertEquals("latest", value(prefix + "auto.offset.reset"));
    }

    @ParameterizedTest
    @ValueSource(strings = {Channels.RESULTS, Channels.PROGRESS})
    void incomingRecordsGoToADeadLetterTopicAndNeverStopTheChannel(String channel) {
        String prefix = IN + channel + ".";
        String topic = value(prefix + "topic");
        assertEquals("dead-letter-queue", value(prefix + "failure-strategy"));
        assertEquals(topic + Topics.DLQ_SUFFIX, value(prefix + "dead-letter-queue.topic"));
        assertEquals("600000", value(prefix + "throttled.unprocessed-record-max-age.ms"));
        assertEquals("false", value(prefix + "fail-on-deserialization-failure"));
        assertEquals("org.apache.kafka.common.serialization.StringDeserializer", value(prefix + "key.deserializer"));
    }

    @ParameterizedTest
    @ValueSource(strings = {Channels.RESULTS, Channels.PROGRESS})
    void theDeadLetterProducerIsAsSafeAsTheOthers(String channel) {
        String prefix = IN + channel + ".dead-letter-queue.";
        assertEquals("all", value(prefix + "acks"));
        assertEquals("true", value(prefix + "enable.idempotence"));
        assertEquals("0", value(prefix + "linger.ms"));
    }

    @Test
    void theEffectiveKafkaConfigIsLoggedAndDevServicesAreOff() {
        assertEquals("INFO", value("quarkus.log.category.\"org.apache.kafka.common.config\".level"));
        assertEquals("false", value("quarkus.kafka.devservices.enabled"));
        assertEquals("8080", value("quarkus.http.port"));
        assertEquals("16M", value("quarkus.http.limits.max-body-size"));
        assertEquals("18874368", value("mp.messaging.outgoing.requests.max.request.size"),
                "a request with images is one record: room for the whole body");
    }

    @Test
    void noProfileWeakensTheseSettings() {
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%") && key.contains("mp.messaging.")) {
                assertFalse(key.matches(".*\\.(acks|enable\\.idempotence|linger\\.ms|failure-strategy|group\\.id)$"),
                        key);
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
