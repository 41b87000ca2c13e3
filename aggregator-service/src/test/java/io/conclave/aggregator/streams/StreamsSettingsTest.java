package io.conclave.aggregator.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.junit.jupiter.api.Test;

/** The Streams settings that differ from Kafka's defaults are the ones DESIGN.md §4 asks for. */
class StreamsSettingsTest {

    @Test
    void defaultsGiveTheDocumentedClientConfiguration() throws Exception {
        Properties props = StreamsSettings.of(config(Map.of()), "broker:9092");

        assertEquals("conclave-aggregator", props.get("application.id"));
        assertEquals("broker:9092", props.get("bootstrap.servers"));
        assertEquals("at_least_once", props.get("processing.guarantee"));
        assertEquals("1000", props.get("commit.interval.ms"));
        assertEquals("1", props.get("num.stream.threads"));
        assertEquals(System.getProperty("java.io.tmpdir") + "/conclave-aggregator", props.get("state.dir"));
        assertEquals("0", props.get("producer.linger.ms"));
        assertEquals("all", props.get("producer.acks"));
        assertEquals("true", props.get("producer.enable.idempotence"));
        assertEquals(InetAddress.getLocalHost().getHostName(), props.get("main.consumer.group.instance.id"));
        assertEquals("10000", props.get("main.consumer.session.timeout.ms"));
        assertEquals("65536", props.get("statestore.cache.max.bytes"));
        assertEquals(LogAndContinueExceptionHandler.class.getName(),
                props.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG));

        StreamsConfig effective = new StreamsConfig(props);
        assertEquals("all", effective.getProducerConfigs("client").get("acks"));
        assertEquals("0", String.valueOf(effective.getProducerConfigs("client").get("linger.ms")));
        assertEquals(InetAddress.getLocalHost().getHostName() + "-1",
                effective.getMainConsumerConfigs("group", "client", 1).get("group.instance.id"),
                "Kafka Streams appends the thread index");
    }

    @Test
    void explicitSettingsWinAndPassThroughSettingsComeLast() {
        AggregatorConfig config = config(Map.of(
                "conclave.aggregator.instance-id", "aggregator-0",
                "conclave.aggregator.session-timeout", "6s",
                "conclave.aggregator.punctuate-interval", "250ms",
                "conclave.aggregator.store-cache-bytes", "524288",
                "conclave.aggregator.streams.\"replication.factor\"", "3",
                "conclave.aggregator.streams.\"producer.linger.ms\"", "1"));
        Properties props = StreamsSettings.of(config, "broker:9092");

        assertEquals("aggregator-0", props.get("main.consumer.group.instance.id"));
        assertEquals("6000", props.get("main.consumer.session.timeout.ms"));
        assertEquals(Duration.ofMillis(250), config.punctuateInterval());
        assertEquals("524288", props.get("statestore.cache.max.bytes"));
        assertEquals(Duration.ofMinutes(10), config.closedRetention());
        assertEquals("3", props.get("replication.factor"));
        assertEquals("1", props.get("producer.linger.ms"));
        assertFalse(props.containsKey("streams"));
    }

    private static AggregatorConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addSystemSources()
                // Quarkus' converter, for durations such as 100ms as application.properties has them.
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(AggregatorConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
        return config.getConfigMapping(AggregatorConfig.class);
    }
}
