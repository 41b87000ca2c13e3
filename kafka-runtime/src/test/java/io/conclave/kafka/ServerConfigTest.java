package io.conclave.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void systemPropertiesWithThePrefixSetOrReplaceServerSettings() {
        final Properties system = new Properties();
        system.setProperty("conclave.kafka.server.num.io.threads", "2");
        system.setProperty("conclave.kafka.server.num.partitions", "3");
        system.setProperty("conclave.kafka.other", "ignored");

        final Map<String, String> props = ServerConfig.properties(9092, 9093, Path.of("logs"), system);

        assertEquals("2", props.get("num.io.threads"));
        assertEquals("3", props.get("num.partitions"));
        assertFalse(props.containsKey("other"));
        assertEquals("1", props.get("default.replication.factor"));
    }

    @Test
    void withoutOverridesTheSettingsAreTheDefaults() {
        final Map<String, String> props = ServerConfig.properties(9092, 9093, Path.of("logs"), new Properties());

        assertEquals("1", props.get("num.partitions"));
        assertFalse(props.containsKey("num.io.threads"));
    }
}
