package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kafka client settings DESIGN.md §4 requires, checked twice: in the effective producer configs
 * each running service logged, and in each service's channel configuration.
 */
@ExtendWith(MeshExtension.class)
class KafkaSettingsE2ETest {

    private static final Pattern PRODUCER_CONFIG = Pattern.compile(
            "ProducerConfig values:(.*?)(?=\\n\\S|\\z)", Pattern.DOTALL);

    private final Mesh mesh;

    KafkaSettingsE2ETest(Mesh mesh) {
        this.mesh = mesh;
    }

    @Test
    void everyProducerOfEveryServiceWaitsForAllReplicasIsIdempotentAndDoesNotLinger() throws Exception {
        for (String service : Mesh.SERVICES) {
            List<String> producers = producerConfigs(mesh.service(service).log());
            assertFalse(producers.isEmpty(), service + " logged no effective producer config");
            for (String config : producers) {
                assertTrue(config.contains("acks = -1"), service + " producer without acks=all:\n" + config);
                assertTrue(config.contains("enable.idempotence = true"), service + " not idempotent:\n" + config);
                assertTrue(config.contains("linger.ms = 0"), service + " lingers:\n" + config);
            }
        }
    }

    @Test
    void everyIncomingChannelDeadLettersPoisonAndOutlastsTheLongestAgentCall() throws Exception {
        for (String service : List.of("gateway-service", "planner-service", "agent-worker-service")) {
            Properties config = applicationProperties(service);
            List<String> incoming = channels(config, "mp.messaging.incoming.");
            assertFalse(incoming.isEmpty(), service + " has no incoming channel");
            for (String channel : incoming) {
                String prefix = "mp.messaging.incoming." + channel + ".";
                assertEquals("dead-letter-queue", config.getProperty(prefix + "failure-strategy"), service + " " + channel);
                long maxAge = Long.parseLong(config.getProperty(prefix + "throttled.unprocessed-record-max-age.ms", "0"));
                assertTrue(maxAge >= 600_000, service + " " + channel + " max age " + maxAge);
            }
            for (String channel : channels(config, "mp.messaging.outgoing.")) {
                String prefix = "mp.messaging.outgoing." + channel + ".";
                assertEquals("all", config.getProperty(prefix + "acks"), service + " " + channel);
                assertEquals("true", config.getProperty(prefix + "enable.idempotence"), service + " " + channel);
                assertEquals("0", config.getProperty(prefix + "linger.ms"), service + " " + channel);
            }
        }
    }

    private static List<String> producerConfigs(String log) {
        List<String> configs = new ArrayList<>();
        Matcher matcher = PRODUCER_CONFIG.matcher(log);
        while (matcher.find()) {
            configs.add(matcher.group(1));
        }
        return configs;
    }

    private static List<String> channels(Properties config, String prefix) {
        return config.stringPropertyNames().stream()
                .filter(key -> key.startsWith(prefix))
                .map(key -> key.substring(prefix.length(), key.indexOf('.', prefix.length())))
                .distinct().sorted().toList();
    }

    private static Properties applicationProperties(String service) throws IOException {
        Path file = Path.of(System.getProperty("conclave.root", ".."), service,
                "src/main/resources/application.properties");
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }
}
